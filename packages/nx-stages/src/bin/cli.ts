import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cleanCommand } from '../commands/clean';
import { conflictsCommand } from '../commands/conflicts';
import { doctorCommand } from '../commands/doctor';
import { findWorktreeCommand } from '../commands/find-worktree';
import { statusCommand } from '../commands/status';
import { validateCommand, type CommandResult } from '../commands/validate';
import { worktreeCommand } from '../commands/worktree-command';
import { writePlanCommand } from '../commands/write-plan';
import { DEFAULT_PLAN_FOLDER, InvalidSettingsError } from '../core/load-plan';
import { readTestTargets } from '../io/project-graph';
import { loadCommandPlan } from '../plugin/fs-plan-source';
import { parseCommandLine, verbUsage } from './argv';

export interface CliOutput {
  log: (text: string) => void;
  error: (text: string) => void;
}

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
  help                     show this text

Options:
  --plan=<folder>          plan folder (default: ${DEFAULT_PLAN_FOLDER})
  Flags are written either way (--dry-run or --dryRun); any other flag is an error.`;

/**
 * The same core as the Nx targets, for the shell and for scripts that want clean JSON. Returns
 * the exit code; `cwd` and `out` are the process's own when run as the bin.
 */
export async function runCli(argv: string[], cwd: string, out: CliOutput = { log: console.log, error: console.error }): Promise<number> {
  try {
    return await runVerb(argv, cwd, out);
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    out.error(`nx-stages: ${error.message}`);
    return 1;
  }
}

async function runVerb(argv: string[], cwd: string, out: CliOutput): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'error') return out.error(line.message), 1;
  if (line.kind === 'help') return out.log(line.verb ? `Usage: ${verbUsage(line.verb)}` : USAGE), line.exitCode;
  const root = findWorkspaceRoot(cwd);
  if (!root) return out.error('nx-stages: no nx.json found in this folder or above it; run inside an Nx workspace.'), 1;
  const { flags } = line;
  const folder = typeof flags.plan === 'string' ? flags.plan : DEFAULT_PLAN_FOLDER;
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const json = flags.json === true;
  const run = (result: CommandResult) => ((result.success ? out.log : out.error)(result.output), result.success ? 0 : 1);
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
      return run(await findWorktreeCommand(root, plan(), line.id ?? ''));
    case 'worktree': {
      const result = await worktreeCommand(root, plan(), line.id ?? '', {
        stack: flags.stack === true, base: text('base'), dependencies: text('dependencies'), dryRun: flags.dryRun === true,
      }, (progress) => out.error(progress));
      // A dry run has no path to print: stdout stays empty.
      return result.success && result.output === '' ? 0 : run(result);
    }
    case 'status': {
      const by = text('by');
      if (by !== undefined && by !== 'assignee') return out.error(`nx-stages status: --by takes "assignee", not ${JSON.stringify(by)}\nUsage: ${verbUsage('status')}`), 1;
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
  }
}

function findWorkspaceRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
