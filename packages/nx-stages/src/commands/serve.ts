import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { portOf } from '../core/env-local';
import type { Plan } from '../core/model';
import { done, failed, refuse, type Outcome } from '../core/outcome';
import type { ServerRecord } from '../core/serve-report';
import { chooseServeTarget, portPassing, serveArgs, serverUrl, validPort, type PortPassing } from '../core/serve-target';
import { openRepository } from '../git/repository';
import { probePort } from '../io/port-probe';
import { startGroup, type GroupExit } from '../io/server-group';
import { processStartTime, removeServerRecord, runningServer, writeServerRecord } from '../io/servers';
import { worktreeProjects } from '../io/worktree-projects';
import { OUTER_TASK_VARIABLES } from './gates/gate-environment';
import { checkoutNx } from './gates/checkout-nx';
import { findWorktreeCommand } from './go';
import { unknownStage } from './unknown-stage';

export interface ServeOptions {
  /** Instead of PORT in the worktree's `.env.local`. */
  port?: unknown;
}

export interface ServeCallbacks {
  /** The server has started: where it listens and how it was started. */
  onStart?: (server: ServerRecord, how: { args: string[]; passing: PortPassing }) => void;
  /** Aborting stops the server's process group (the one it started, by pid) and waits for it. */
  signal?: AbortSignal;
}

export interface ServeData {
  stage: string;
  project: string;
  target: string;
  port: number;
  url: string;
  pid: number;
  /** How it ended: stopped on request, or it exited by itself. */
  ended: 'stopped' | 'exited';
  exitCode: number | null;
}

/**
 * `nx run stage-<id>:serve`: the stage's dev server, from its worktree (so the worktree's own
 * code is served), on the stage's port, until it exits or `signal` asks it to stop.
 */
export async function serveCommand(root: string, plan: Plan, id: string, options: ServeOptions = {}, callbacks: ServeCallbacks = {}): Promise<Outcome<ServeData>> {
  const stage = plan.stages.find((candidate) => candidate.id === id);
  if (!stage) return unknownStage(plan, id);
  const found = await findWorktreeCommand(root, plan, id);
  if (!found.ok || !found.data) return failed(found.failure!);
  const worktree = found.data.path;
  const repository = await openRepository(worktree);
  if (!repository.ok) return failed(repository);
  const { commonDir } = repository.value;

  const running = runningServer(commonDir, id);
  if (running) return refuse('busy', `stage ${id}'s server already runs: pid ${running.pid}, ${running.url}`, 'Stop it where it runs (Ctrl+C) before starting it again.');

  const port = options.port === undefined ? envLocalPort(worktree) : validPort(options.port);
  if (port === undefined) {
    return options.port === undefined
      ? refuse('not-found', `${join(worktree, '.env.local')} has no PORT`, `Add a line PORT=<port> there, or pass one: nx run stage-${id}:serve --port=<port>.`)
      : refuse('invalid-input', `--port=${String(options.port)} is not a port`, 'Give a whole number from 1 to 65535.');
  }
  const state = await probePort(port);
  if (state !== 'free') {
    return refuse(
      'busy',
      state === 'taken' ? `port ${port} of stage ${id} is taken: another process listens on it` : `port ${port} of stage ${id} needs privileges this user does not have`,
      `nx-stages stops only what it started. Free the port, or give stage ${id} another one: PORT=<port> in ${join(worktree, '.env.local')}, or nx run stage-${id}:serve --port=<port>.`,
    );
  }

  const nx = checkoutNx(worktree);
  if ('missing' in nx)
    return refuse('not-found', `nx is not installed in ${worktree}`, 'Create the worktree with its dependencies (nx g nx-stages:worktree), or install them there.');
  const env = serverEnvironment(port, id);
  const projects = await worktreeProjects(nx.bin, worktree, env);
  if ('error' in projects) return refuse('unexpected', projects.error, 'Run `nx show projects` in the worktree to see what Nx says.');
  const choice = chooseServeTarget(stage, projects);
  if (!choice.ok) return refuse(choice.kind, choice.message, choice.hint);
  if (callbacks.signal?.aborted) return refuse('interrupted', `stage ${id}'s server was not started: stopped before it began`);

  const passing = portPassing(choice.config);
  const args = serveArgs(choice.project, choice.target, port, passing);
  const group = startGroup(process.execPath, [nx.bin, ...args], { cwd: worktree, env });
  if ('startError' in group) return refuse('unexpected', `could not start nx in ${worktree}: ${group.startError}`);
  const record: ServerRecord = {
    stage: id,
    project: choice.project,
    target: choice.target,
    pid: group.pid,
    port,
    url: serverUrl(port),
    worktree,
    startedAt: new Date().toISOString(),
    ...optional('processStart', processStartTime(group.pid)),
  };
  writeServerRecord(commonDir, record);
  callbacks.onStart?.(record, { args, passing });

  let stopped = false;
  const stop = () => {
    stopped = true;
    void group.stop();
  };
  if (callbacks.signal?.aborted) stop();
  else callbacks.signal?.addEventListener('abort', stop, { once: true });
  let exit: GroupExit;
  try {
    exit = await group.exited;
    // Stopping: wait until the whole group is gone (what ignored SIGTERM got SIGKILL).
    if (stopped) exit = await group.stop();
  } finally {
    callbacks.signal?.removeEventListener('abort', stop);
    removeServerRecord(commonDir, id, group.pid);
  }
  // Stopped by a signal from elsewhere also counts as stopped: Nx, on Ctrl+C, signals every
  // process below its tasks (the server group too), sometimes before this task hears of it.
  if (exit.signal !== null || exit.code === 130 || exit.code === 143) stopped = true;
  const data: ServeData = {
    stage: id,
    project: choice.project,
    target: choice.target,
    port,
    url: record.url,
    pid: group.pid,
    ended: stopped ? 'stopped' : 'exited',
    exitCode: exit.code,
  };
  if (stopped) return done(`stage ${id}'s server stopped (${choice.project}:${choice.target}, pid ${group.pid}, port ${port})`, data);
  if (exit.code === 0) return done(`stage ${id}'s server ended (${choice.project}:${choice.target} exited with 0)`, data);
  return failed(
    {
      kind: 'failed',
      message: `stage ${id}'s server ${choice.project}:${choice.target} exited with ${exit.code ?? exit.signal ?? exit.startError ?? 'no code'}`,
      hint: 'Its own output above says why.',
    },
    { data },
  );
}

function envLocalPort(worktree: string): number | undefined {
  try {
    return portOf(readFileSync(join(worktree, '.env.local'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The dev server's environment: ours without the variables Nx set for this serve task (the Nx
 * started in the worktree must not think it runs that task, or in the outer workspace), PORT for
 * servers that read it, no TUI (the server's lines go to this task's output as they come).
 */
function serverEnvironment(port: number, id: string, outer: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(outer)) if (!OUTER_TASK_VARIABLES.test(name)) env[name] = value;
  return { ...env, PORT: String(port), NX_STAGES_ID: id, NX_TUI: 'false', NX_DAEMON: env.NX_DAEMON ?? 'false' };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
