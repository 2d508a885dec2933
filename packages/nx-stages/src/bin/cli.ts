import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cleanCommand } from '../commands/clean';
import { conflictsCommand } from '../commands/conflicts';
import { doctorCommand } from '../commands/doctor';
import { findWorktreeCommand } from '../commands/go';
import { listCommand, readyCommand } from '../commands/list';
import { mergeStageCommand } from '../commands/merge';
import { runGatesCommand } from '../commands/gates';
import { syncStageCommand } from '../commands/sync';
import { statusCommand } from '../commands/status';
import { validateCommand, type CommandResult } from '../commands/validate';
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
import { loadCommandPlan } from '../io/fs-plan-source';
import { parseCommandLine, verbUsage } from './argv';
import { processStdin, runGuard, type InputSource } from './guard-hook';

export type CliOutput = OutputSink;

const USAGE = `Usage: nx-stages <command> [options]

Commands:
  go <id>                  print the stage's worktree path:  cd "$(npx nx-stages go 9.1)"
  worktree <id> [--stack] [--base=<branch>] [--dependencies=link|install|none] [--dry-run]
                           create the stage's worktree, as nx g nx-stages:worktree does but without
                           Nx's start-up; prints only its path:  cd "$(npx nx-stages worktree 9.1)"
  status [--json] [--by=assignee]   one row per stage, from git
  conflicts [--json] [--base=<branch>]   forecast merge conflicts between unmerged stage branches (exit 1 on a conflict)
  clean [--dry-run] [--delete-branch] [--force]   remove worktrees of merged stages
  validate [--json]        check the plan (exit 1 on errors)
  doctor [--json]          what would stop the gates from measuring here, and the fix for each (exit 1 on errors)
  plan [--team-size=N]     write PLAN.md and print the schedule summary
  list [--json]            every stage with its group and dependencies
  ready [--json]           the stages that can start now (not started, dependencies merged)
  guard                    Claude Code's PreToolUse hook (JSON on stdin, the decision on stdout):
                           keeps an agent in its stage's worktree and files; nx g nx-stages:agents installs it
  gates <id> [--force] [--json] [--parallel=N] [--no-fast-fail] [--base=<branch>] [--in-place]
                           the stage's quality gates, as nx run stage-<id>:gates without Nx's start-up
  proof <id> [--no-commit] [--no-tag] [--review=<text>]   commit the proof of the stage's last gates
  verify <id> [--remeasure] [--json]   check the stage's committed proof at the plan's trust level
  sync <id> [--strategy=merge|rebase] [--refresh-dependencies]   bring the base into the stage branch
  merge <id> [--cleanup] [--delete-branch]   merge the proven stage into the base
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
  const run = (result: CommandResult) => ((result.success || result.report ? out.log : out.error)(result.output), result.success ? 0 : 1);
  const deliver = (outcome: Outcome) => report(outcome, { json }, out);
  // validate and doctor report a broken plan; every other verb refuses it (loadCommandPlan throws).
  const plan = () => loadCommandPlan(root, folder);
  switch (line.verb) {
    case 'validate': {
      // The report goes to stdout even when it fails: it is the output, not an error message.
      const result = await validateCommand(root, folder, { json });
      out.log(result.output);
      return result.success ? 0 : 1;
    }
    case 'doctor': {
      // The report goes to stdout even when it finds errors; Nx is loaded for this verb only.
      const result = await doctorCommand(root, folder, { json, testTargets: await readTestTargets() });
      out.log(result.output);
      return result.success ? 0 : 1;
    }
    case 'go':
      // Only the path on stdout, so `cd "$(npx nx-stages go 9.1)"` works; everything else on stderr.
      return deliver(await findWorktreeCommand(root, plan(), line.id ?? ''));
    case 'worktree': {
      const result = await worktreeCommand(
        root,
        plan(),
        line.id ?? '',
        {
          stack: flags.stack === true,
          base: text('base'),
          dependencies: text('dependencies'),
          dryRun: flags.dryRun === true,
        },
        (progress) => out.error(progress),
      );
      // A dry run has no path to print: stdout stays empty.
      return result.success && result.output === '' ? 0 : run(result);
    }
    case 'status': {
      const by = text('by');
      if (by !== undefined && by !== 'assignee') return (out.error(`nx-stages status: --by takes "assignee", not ${JSON.stringify(by)}\nUsage: ${verbUsage('status')}`), 1);
      return run(await statusCommand(root, plan(), { json, by }));
    }
    case 'conflicts': {
      // The forecast is the output even when it finds conflicts (stdout); only errors go to stderr.
      const result = await conflictsCommand(root, plan(), { json, base: text('base') });
      (result.forecastMade ? out.log : out.error)(result.output);
      return result.success ? 0 : 1;
    }
    case 'clean':
      return run(await cleanCommand(root, plan(), { dryRun: flags.dryRun === true, deleteBranch: flags.deleteBranch === true, force: flags.force === true }));
    case 'plan':
      return run(writePlanCommand(root, folder, { teamSize: text('teamSize') === undefined ? undefined : Number(text('teamSize')) }));
    case 'list':
      return deliver(listCommand(plan()));
    case 'ready':
      return deliver(await readyCommand(root, plan()));
    default:
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
  const run = (result: CommandResult) => ((result.success ? out.log : out.error)(result.output), result.success ? 0 : 1);
  switch (verb) {
    case 'gates': {
      const parallel = text('parallel') === undefined ? undefined : Number(text('parallel'));
      if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1))
        return (out.error(`nx-stages gates: --parallel takes a whole number of 1 or more, not ${JSON.stringify(text('parallel'))}`), 1);
      const result = await runGatesCommand(root, plan, stage, { base: text('base'), inPlace: on('inPlace'), parallel, fastFail: on('fastFail'), force: on('force'), json, log });
      if (!json) return run(result);
      // One JSON document alone on stdout; the summary goes with the progress.
      if (result.result) out.log(JSON.stringify(result.result, null, 2));
      log(result.output);
      return result.success ? 0 : 1;
    }
    case 'proof':
      return run(await writeProofCommand(root, plan, stage, { base: text('base'), inPlace: on('inPlace'), review: text('review'), commit: on('commit'), tag: on('tag') }));
    case 'verify':
      return run(await verifyCommand(root, plan, stage, { json, remeasure: on('remeasure'), log }));
    case 'sync': {
      const strategy = text('strategy');
      if (strategy !== undefined && strategy !== 'merge' && strategy !== 'rebase')
        return (out.error(`nx-stages sync: --strategy takes merge or rebase, not ${JSON.stringify(strategy)}`), 1);
      return run(await syncStageCommand(root, plan, stage.id, { strategy, base: text('base'), refreshDependencies: on('refreshDependencies') }));
    }
    case 'merge':
      return run(await mergeStageCommand(root, plan, stage, { base: text('base'), cleanup: on('cleanup'), deleteBranch: on('deleteBranch') }));
  }
}

function findWorkspaceRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
