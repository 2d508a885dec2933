import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cleanStagesCommand } from '../commands/clean';
import { conflictsCommand } from '../commands/conflicts';
import { doctorCommand } from '../commands/doctor';
import { execCommand } from '../commands/exec';
import { findWorktreeCommand } from '../commands/go';
import { listCommand, readyCommand } from '../commands/list';
import { mergeStageCommand } from '../commands/merge';
import { mergeQueueCommand } from '../commands/merge-queue';
import { runGatesCommand, summaryBesideJson } from '../commands/gates';
import { syncStageCommand } from '../commands/sync';
import { statusCommand } from '../commands/status';
import { validateCommand } from '../commands/validate';
import { verifyCommand } from '../commands/verify';
import { worktreeCommand } from '../commands/worktree';
import { writePlanCommand } from '../commands/plan';
import { writeProofCommand } from '../commands/proof';
import type { Plan } from '../core/model';
import type { Outcome } from '../core/outcome';
import { unknownStage } from '../commands/unknown-stage';
import { DEFAULT_PLAN_FOLDER, InvalidSettingsError } from '../core/load-plan';
import { readTestTargets } from '../io/project-graph';
import { report, type OutputSink } from '../io/reporter';
import { loadCommandPlan } from '../io/command-plan';
import { parseCommandLine, verbUsage } from './argv';
import { processStdin, runGuard, type InputSource } from './guard-hook';

export type CliOutput = OutputSink;

const USAGE = `Usage: nx-stages <command> [options]

Commands:
  go <id>                  print the stage's worktree path:  cd "$(npx nx-stages go 9.1)"
  worktree <id> [--stack] [--base=<branch>] [--dependencies=link|install|none] [--dry-run] [--[no-]push]
                           create the stage's worktree, as nx g nx-stages:worktree does but without
                           Nx's start-up; prints only its path:  cd "$(npx nx-stages worktree 9.1)"
  status [--json] [--by=assignee] [--fetch] [--resources]   one row per stage, from git (--fetch: the remote first);
                           what can start now, the dev servers running (--resources: each worktree's processes, memory, disk)
  conflicts [--json] [--base=<branch>] [--fetch] [--uncommitted]   forecast merge conflicts between unmerged stage branches (exit 1 on a conflict)
  clean [--dry-run] [--delete-branch] [--force] [--[no-]push]   remove worktrees of merged stages (--push: their remote branches too)
  validate [--json]        check the plan (exit 1 on errors)
  doctor [--json]          what would stop the gates from measuring here, and the fix for each (exit 1 on errors)
  plan [--team-size=N]     write PLAN.md and print the schedule summary
  list [--json]            every stage with its group and dependencies
  ready [--json]           the stages that can start now (not started, dependencies merged)
  guard                    Claude Code's PreToolUse hook (JSON on stdin, the decision on stdout):
                           keeps an agent in its stage's worktree and files; nx g nx-stages:agents installs it
  gates <id> [--force] [--json] [--parallel=N] [--no-fast-fail] [--base=<branch>] [--in-place]
                           the stage's quality gates, as nx run stage-<id>:gates without Nx's start-up
  proof <id> [--no-commit] [--no-tag] [--review=<text>] [--[no-]push]   commit the proof of the stage's last gates (--push: push branch and tag)
  verify <id> [--remeasure] [--json]   check the stage's committed proof at the plan's trust level
  sync <id> [--strategy=merge|rebase] [--refresh-dependencies] [--fetch]   bring the base (or the newer remote base) into the stage branch
  merge [<id>] [--cleanup] [--delete-branch] [--[no-]push]   merge the proven stage into the base (--push: then push
                           the base, never forced); without an id, the merge queue: every ready stage, one at a
                           time, in the plan's merge order
  exec [--stages=<id,id> | --group=<letter>] [--parallel=N] [--json] -- <command> [args…]
                           run a command in every stage worktree at once (no shell: write sh -c '…'
                           for one), its output prefixed with the stage id, then a table of exit codes
  mcp                      a Model Context Protocol server on stdio: status, ready, forecast,
                           create_worktree, run_gates, verify, merge (a dry run unless confirmed)
  help                     show this text

Options:
  --plan=<folder>          plan folder (default: ${DEFAULT_PLAN_FOLDER})
  Flags are written either way (--dry-run or --dryRun); any other flag is an error.`;

/**
 * The same core as the Nx targets, for the shell and for scripts that want clean JSON. Returns
 * the exit code; `cwd` and `out` are the process's own when run as the bin.
 */
export async function runCli(argv: string[], cwd: string, out: CliOutput = { log: console.log, error: console.error }, input: InputSource = processStdin): Promise<number> {
  try {
    return await runVerb(argv, cwd, out, input);
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    out.error(`nx-stages: ${error.message}`);
    return 1;
  }
}

async function runVerb(argv: string[], cwd: string, out: CliOutput, input: InputSource): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'error') return (out.error(line.message), 1);
  if (line.kind === 'help') return (out.log(line.verb ? `Usage: ${verbUsage(line.verb)}` : USAGE), line.exitCode);
  // The payload's cwd says where the agent works, not the hook's own folder: no workspace lookup here.
  if (line.verb === 'guard') return runGuard(line.flags, out, input);
  const root = findWorkspaceRoot(cwd);
  if (!root) return (out.error('nx-stages: no nx.json found in this folder or above it; run inside an Nx workspace.'), 1);
  const { flags } = line;
  const folder = typeof flags.plan === 'string' ? flags.plan : DEFAULT_PLAN_FOLDER;
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const json = flags.json === true;
  const deliver = (outcome: Outcome) => report(outcome, { json }, out);
  // validate and doctor report a broken plan; every other verb refuses it (loadCommandPlan throws).
  const plan = () => loadCommandPlan(root, folder);
  switch (line.verb) {
    case 'validate':
      // The checklist goes to stdout even when it fails: it is the output, not an error message.
      return deliver(await validateCommand(root, folder));
    case 'doctor':
      // The findings go to stdout even when there are errors; Nx is loaded for this verb only.
      return deliver(await doctorCommand(root, folder, { testTargets: await readTestTargets() }));
    case 'go':
      // Only the path on stdout, so `cd "$(npx nx-stages go 9.1)"` works; everything else on stderr.
      return deliver(await findWorktreeCommand(root, plan(), line.id ?? ''));
    case 'worktree': {
      // Only the path on stdout (a dry run has none); progress on stderr.
      const options = { stack: flags.stack === true, base: text('base'), dependencies: text('dependencies'), dryRun: flags.dryRun === true, push: switched(flags, 'push') };
      return deliver(await worktreeCommand(root, plan(), line.id ?? '', options, (progress) => out.error(progress)));
    }
    case 'status': {
      const by = text('by');
      if (by !== undefined && by !== 'assignee') return (out.error(`nx-stages status: --by takes "assignee", not ${JSON.stringify(by)}\nUsage: ${verbUsage('status')}`), 1);
      return deliver(await statusCommand(root, plan(), { by, fetch: flags.fetch === true, resources: flags.resources === true }));
    }
    case 'conflicts':
      // The forecast is the output even when it finds conflicts (stdout); only errors go to stderr.
      return deliver(await conflictsCommand(root, plan(), { base: text('base'), fetch: flags.fetch === true, uncommitted: flags.uncommitted === true }));
    case 'clean':
      // What clean kept is the report (stdout) even when it fails the run.
      return deliver(
        await cleanStagesCommand(root, plan(), {
          dryRun: flags.dryRun === true,
          deleteBranch: flags.deleteBranch === true,
          force: flags.force === true,
          push: switched(flags, 'push'),
        }),
      );
    case 'plan':
      return deliver(writePlanCommand(root, folder, { teamSize: text('teamSize') === undefined ? undefined : Number(text('teamSize')) }));
    case 'list':
      return deliver(listCommand(plan()));
    case 'ready':
      return deliver(await readyCommand(root, plan()));
    case 'exec':
      // The commands' own output as it comes; with --json it goes to stderr, so stdout is the document alone.
      return deliver(
        await execCommand(root, plan(), {
          command: line.command ?? [],
          stages: text('stages'),
          group: text('group'),
          parallel: text('parallel'),
          cwd,
          onOutput: (stream, outputLine) => (stream === 'stdout' && !json ? out.log : out.error)(outputLine),
          log: (progress) => out.error(progress),
        }),
      );
    case 'mcp':
      // The SDK is loaded for this verb only; the plan is read on every call, not here.
      return (await import('./mcp-server')).runMcpServer(root, folder);
    default:
      if (line.verb === 'merge' && line.id === undefined) {
        const queued = await mergeQueueCommand(
          root,
          plan(),
          { base: text('base'), cleanup: flags.cleanup === true, deleteBranch: flags.deleteBranch === true, push: flags.push === undefined ? undefined : flags.push === true },
          (progress) => out.error(progress),
        );
        return deliver(queued);
      }
      return runStageVerb(line.verb, line.id ?? '', flags, root, plan(), out);
  }
}

/** The verbs of one stage's targets: the same calls as their executors, progress on stderr. */
async function runStageVerb(
  verb: 'gates' | 'proof' | 'verify' | 'sync' | 'merge',
  id: string,
  flags: Record<string, string | boolean>,
  root: string,
  plan: Plan,
  out: CliOutput,
): Promise<number> {
  const stage = plan.stages.find((candidate) => candidate.id === id);
  if (!stage) return report(unknownStage(plan, id), {}, out);
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const on = (name: string) => (flags[name] === undefined ? undefined : flags[name] === true);
  const json = flags.json === true;
  const log = (progress: string) => out.error(progress);
  switch (verb) {
    case 'gates': {
      const parallel = text('parallel') === undefined ? undefined : Number(text('parallel'));
      if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1))
        return (out.error(`nx-stages gates: --parallel takes a whole number of 1 or more, not ${JSON.stringify(text('parallel'))}`), 1);
      const outcome = await runGatesCommand(root, plan, stage, { base: text('base'), inPlace: on('inPlace'), parallel, fastFail: on('fastFail'), force: on('force'), log });
      // One JSON document alone on stdout; the summary goes with the progress.
      return report(json ? summaryBesideJson(outcome) : outcome, { json }, out);
    }
    case 'proof':
      return report(
        await writeProofCommand(root, plan, stage, { base: text('base'), inPlace: on('inPlace'), review: text('review'), commit: on('commit'), tag: on('tag'), push: on('push') }),
        { json },
        out,
      );
    case 'verify':
      return report(await verifyCommand(root, plan, stage, { remeasure: on('remeasure'), log }), { json }, out);
    case 'sync':
      return report(
        await syncStageCommand(root, plan, stage.id, { strategy: text('strategy'), base: text('base'), refreshDependencies: on('refreshDependencies'), fetch: on('fetch') }),
        { json },
        out,
      );
    case 'merge':
      return report(await mergeStageCommand(root, plan, stage, { base: text('base'), cleanup: on('cleanup'), deleteBranch: on('deleteBranch'), push: on('push') }), { json }, out);
  }
}

/** A flag given on or off (`--push` / `--no-push`); undefined when not given, so stages.yaml decides. */
function switched(flags: Record<string, string | boolean>, name: string): boolean | undefined {
  return flags[name] === undefined ? undefined : flags[name] === true;
}

function findWorkspaceRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
