import type { FailureKind } from './outcome';
import { patternsOverlap } from './glob-overlap';
import type { Stage } from './model';
import { own } from './own';
import { nearest } from './suggest';

/** The part of an Nx target the serve rules read (as `nx graph --file` writes it: inferred targets included). */
export interface TargetShape {
  executor?: string;
  command?: string;
  options?: Record<string, unknown>;
}

/** A project of the stage's worktree. */
export interface ProjectShape {
  name: string;
  /** Workspace-relative, `/`-separated; `.` for a root project. */
  root: string;
  targets: Record<string, TargetShape>;
}

export const DEFAULT_SERVE_TARGET = 'serve';

export type ServeTargetChoice =
  { ok: true; project: string; target: string; config: TargetShape; chosenBy: 'stage.yaml' | 'files' } | { ok: false; kind: FailureKind; message: string; hint: string };

/**
 * Which dev server `nx run stage-<id>:serve` starts: the `serve:` of stage.yaml, else the one
 * project among the stage's owned files that has a `serve` target. A root project (`.`) counts
 * only when no other project does: every stage's files lie inside it.
 */
export function chooseServeTarget(stage: Stage, projects: readonly ProjectShape[]): ServeTargetChoice {
  const example = (project = 'cart', target = DEFAULT_SERVE_TARGET) => `serve: { project: ${project}, target: ${target} }`;
  if (stage.serve) {
    const { project: name, target } = stage.serve;
    const project = projects.find((candidate) => candidate.name === name);
    if (!project) {
      const guess = nearest(
        name,
        projects.map((candidate) => candidate.name),
      );
      return {
        ok: false,
        kind: 'not-found',
        message: `${stage.file} names serve.project ${JSON.stringify(name)}, which is no project of stage ${stage.id}'s worktree${guess ? ` (did you mean ${guess}?)` : ''}`,
        hint: 'Write a name `nx show projects` prints in the worktree.',
      };
    }
    const config = own(project.targets, target);
    if (!config) {
      const names = Object.keys(project.targets).sort();
      return {
        ok: false,
        kind: 'not-found',
        message: `project ${name} has no target ${JSON.stringify(target)} (serve: in ${stage.file})`,
        hint: names.length > 0 ? `Its targets: ${names.join(', ')}; name its dev server in serve.target.` : `It has no targets at all: give it a ${target} target.`,
      };
    }
    return { ok: true, project: name, target, config, chosenBy: 'stage.yaml' };
  }
  const owned = projects.filter((project) => own(project.targets, DEFAULT_SERVE_TARGET) && ownsProject(stage.files, project.root));
  const nested = owned.filter((project) => !isRoot(project.root));
  const candidates = (nested.length > 0 ? nested : owned).sort((a, b) => a.name.localeCompare(b.name));
  if (candidates.length === 0) {
    return {
      ok: false,
      kind: 'not-found',
      message: `stage ${stage.id} has no app with a ${DEFAULT_SERVE_TARGET} target: ${
        stage.files.length > 0 ? `no project in its files (${stage.files.join(', ')}) has one` : `${stage.file} lists no files`
      }`,
      hint: `Give the app a ${DEFAULT_SERVE_TARGET} target, or name the project and its dev server target in ${stage.file}: ${example('cart', 'dev')}.`,
    };
  }
  if (candidates.length > 1) {
    const names = candidates.map((project) => project.name);
    return {
      ok: false,
      kind: 'invalid-input',
      message: `stage ${stage.id} owns several apps with a ${DEFAULT_SERVE_TARGET} target: ${names.join(', ')}`,
      hint: `Name the one to serve in ${stage.file}: ${example(names[0])}.`,
    };
  }
  const [project] = candidates;
  return { ok: true, project: project.name, target: DEFAULT_SERVE_TARGET, config: project.targets[DEFAULT_SERVE_TARGET], chosenBy: 'files' };
}

/** A project belongs to the stage when one of its files is the stage's: the stage edits that app. */
function ownsProject(files: readonly string[], root: string): boolean {
  const everything = isRoot(root) ? '**' : `${root}/**`;
  return files.some((pattern) => patternsOverlap(pattern, everything));
}

function isRoot(root: string): boolean {
  return root === '.' || root === '' || root === './';
}

// How the port reaches the dev server. `PORT=<port>` is always in its environment; `--port=<port>`
// is added to `nx run <project>:<target>` only where it means the port the server listens on:
//
// - Executors whose schema has `port` as the server's port (nrwl/nx, packages/…/schema.json):
//   @nx/vite:dev-server ("Port to listen on."), @nx/webpack:dev-server and @nx/next:server
//   ("Port to listen on.", default 4200), @nx/rspack:dev-server, @nx/angular:dev-server.
// - nx:run-commands, the executor of every inferred serve target (@nx/vite/plugin's `vite serve`,
//   @nx/next/plugin's `next dev`, @nx/webpack/plugin's `webpack-cli serve`, all taking --port) and of a
//   project.json `command`: Nx appends the options it does not know to the command as
//   `--port=<port>` (nx/src/executors/run-commands/run-commands.impl.ts, interpolateArgsIntoCommand)
//   unless `forwardAllArgs: false`; a command with `{args.port}` reads it there instead.
// - nx:run-script (a package.json script): Nx runs `npm run <script> -- <args>` (run-script.impl.ts).
//
// Not to: @nx/js:node, whose `port` is the debugger's ("The port to inspect the process on",
// default 9229); its app reads PORT. Nor any other executor: its schema is unknown here, and one
// with `additionalProperties: false` (@nx/js:node, @nx/angular:dev-server) refuses an unknown option.
const PORT_OPTION_EXECUTORS = new Set(['@nx/vite:dev-server', '@nx/webpack:dev-server', '@nx/next:server', '@nx/rspack:dev-server', '@nx/angular:dev-server']);
const FORWARDING_EXECUTORS = new Set(['nx:run-commands', 'nx:run-script']);

export type PortPassing = { flag: true } | { flag: false; why: string };

export function portPassing(config: TargetShape): PortPassing {
  const executor = config.executor ?? (config.command !== undefined ? 'nx:run-commands' : undefined);
  if (executor && PORT_OPTION_EXECUTORS.has(executor)) return { flag: true };
  if (executor === 'nx:run-commands') return forwardsArgs(config) ? { flag: true } : { flag: false, why: 'its command forwards no arguments (forwardAllArgs: false)' };
  if (executor && FORWARDING_EXECUTORS.has(executor)) return { flag: true };
  if (executor === '@nx/js:node') return { flag: false, why: "@nx/js:node's --port is the debugger's" };
  return { flag: false, why: `${executor ?? 'its executor'} is not known to take --port` };
}

function forwardsArgs(config: TargetShape): boolean {
  const options = config.options ?? {};
  const commands = [config.command, options.command, ...(Array.isArray(options.commands) ? options.commands : [])];
  const texts = commands.map((entry) => (typeof entry === 'string' ? entry : (entry as { command?: unknown } | undefined)?.command)).filter((text) => typeof text === 'string');
  if (texts.some((text) => text.includes('{args'))) return true;
  const perCommand = commands.some((entry) => typeof entry === 'object' && entry !== null && (entry as { forwardAllArgs?: unknown }).forwardAllArgs === true);
  return options.forwardAllArgs !== false || perCommand;
}

/** The arguments of the `nx` that starts the dev server. */
export function serveArgs(project: string, target: string, port: number, passing: PortPassing): string[] {
  return ['run', `${project}:${target}`, ...(passing.flag ? [`--port=${port}`] : [])];
}

export function serverUrl(port: number): string {
  return `http://localhost:${port}/`;
}

/** The port a stage's server uses: `--port` of the serve target, else PORT of the worktree's `.env.local`. */
export function validPort(value: unknown): number | undefined {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}
