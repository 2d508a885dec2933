#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { validateCommand, type CommandResult } from '../commands/validate';
import { cleanCommand } from '../commands/clean';
import { conflictsCommand } from '../commands/conflicts';
import { doctorCommand } from '../commands/doctor';
import { findWorktreeCommand } from '../commands/find-worktree';
import { statusCommand } from '../commands/status';
import { worktreeCommand } from '../commands/worktree-command';
import { writePlanCommand } from '../commands/write-plan';
import { DEFAULT_PLAN_FOLDER, loadPlan } from '../core/load-plan';
import { readTestTargets } from '../io/project-graph';
import { fsPlanSource } from '../plugin/fs-plan-source';

const USAGE = `Usage: nx-stages <command> [options]

Commands:
  go <id>                  print the stage's worktree path:  cd "$(npx nx-stages go 9.1)"
  worktree <id> [--stack] [--base=<branch>] [--dependencies=link|install|none] [--dryRun]
                           create the stage's worktree, as nx g nx-stages:worktree does but without
                           Nx's start-up; prints only its path:  cd "$(npx nx-stages worktree 9.1)"
  status [--json] [--by=assignee]   one row per stage, from git
  conflicts [--json] [--base=<branch>]   forecast merge conflicts between unmerged stage branches (exit 1 on a conflict)
  clean [--dryRun] [--deleteBranch] [--force]   remove worktrees of merged stages
  validate [--json]        check the plan (exit 1 on errors)
  doctor [--json]          what would stop the gates from measuring here, and the fix for each (exit 1 on errors)
  plan [--teamSize=N]      write PLAN.md and print the schedule summary
  help                     show this text

Options:
  --plan=<folder>          plan folder (default: ${DEFAULT_PLAN_FOLDER})`;

/** The same core as the Nx targets, for the shell and for scripts that want clean JSON. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flags = parseFlags(rest);
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  const root = findWorkspaceRoot(process.cwd());
  if (!root) {
    console.error('nx-stages: no nx.json found in this folder or above it; run inside an Nx workspace.');
    return 1;
  }
  const folder = String(flags.plan ?? DEFAULT_PLAN_FOLDER);
  const run = (result: CommandResult) => ((result.success ? console.log : console.error)(result.output), result.success ? 0 : 1);
  switch (command) {
    case 'validate': {
      // The report goes to stdout even when it fails: it is the output, not an error message.
      const result = validateCommand(root, folder, { json: flags.json === true });
      console.log(result.output);
      return result.success ? 0 : 1;
    }
    case 'doctor': {
      // The report goes to stdout even when it finds errors; Nx is loaded for this verb only.
      const result = await doctorCommand(root, folder, { json: flags.json === true, testTargets: await readTestTargets() });
      console.log(result.output);
      return result.success ? 0 : 1;
    }
    case 'go': {
      // Only the path on stdout, so `cd "$(npx nx-stages go 9.1)"` works; everything else on stderr.
      const id = rest.find((arg) => !arg.startsWith('--'));
      if (!id) return run({ success: false, output: 'nx-stages: usage: nx-stages go <id>' });
      return run(await findWorktreeCommand(root, loadPlan(fsPlanSource(root), folder), id));
    }
    case 'worktree': {
      const id = rest.find((arg) => !arg.startsWith('--'));
      if (!id) return run({ success: false, output: 'nx-stages: usage: nx-stages worktree <id> [--stack] [--base=<branch>] [--dependencies=link|install|none] [--dryRun]' });
      const result = await worktreeCommand(root, loadPlan(fsPlanSource(root), folder), id, {
        stack: flags.stack === true,
        base: typeof flags.base === 'string' ? flags.base : undefined,
        dependencies: flags.dependencies === undefined ? undefined : String(flags.dependencies),
        dryRun: flags.dryRun === true || flags['dry-run'] === true,
      }, (line) => console.error(line));
      // A dry run has no path to print: stdout stays empty.
      return result.success && result.output === '' ? 0 : run(result);
    }
    case 'status': {
      const by = flags.by === 'assignee' ? 'assignee' : undefined;
      return run(await statusCommand(root, loadPlan(fsPlanSource(root), folder), { json: flags.json === true, by }));
    }
    case 'conflicts': {
      // The forecast is the output even when it finds conflicts (stdout); only errors go to stderr.
      const base = typeof flags.base === 'string' ? flags.base : undefined;
      const result = await conflictsCommand(root, loadPlan(fsPlanSource(root), folder), { json: flags.json === true, base });
      (result.forecastMade ? console.log : console.error)(result.output);
      return result.success ? 0 : 1;
    }
    case 'clean': {
      const plan = loadPlan(fsPlanSource(root), folder);
      return run(await cleanCommand(root, plan, { dryRun: flags.dryRun === true, deleteBranch: flags.deleteBranch === true, force: flags.force === true }));
    }
    case 'plan':
      return run(writePlanCommand(root, folder, { teamSize: flags.teamSize === undefined ? undefined : Number(flags.teamSize) }));
    default:
      console.error(`nx-stages: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

function parseFlags(args: string[]): Record<string, string | boolean> {
  const flags: Record<string, string | boolean> = {};
  for (const arg of args) {
    const match = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (match) flags[match[1]] = match[2] ?? true;
  }
  return flags;
}

function findWorkspaceRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`nx-stages: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
