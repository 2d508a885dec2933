import { logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { agentsCommand } from '../../commands/agents';
import { failureText, type Outcome } from '../../core/outcome';
import { DEFAULT_PLAN_FOLDER } from '../../core/plan-files';
import { checkPlanFolder, loadTreeCommandPlan } from '../shared/tree-plan-source';
import type { AgentsGeneratorSchema } from './schema';

/**
 * The worktrees are outside the workspace, where Nx's Tree does not write: as the worktree
 * generator does, the body only says what will change, and the callback (which Nx skips on
 * --dry-run) writes it.
 */
export async function agentsGenerator(tree: Tree, options: AgentsGeneratorSchema): Promise<GeneratorCallback> {
  const folder = checkPlanFolder(options.plan);
  const plan = loadTreeCommandPlan(tree, folder);
  const hookCommand = guardCommandLine(folder);
  const preview = await agentsCommand(tree.root, plan, { hookCommand, write: false });
  logger.info(textOf(preview));
  return async () => {
    const installed = await agentsCommand(tree.root, plan, { hookCommand, write: true });
    textOf(installed);
    const excluded = installed.data?.excluded ?? [];
    if (excluded.length > 0) logger.info(`  ✔ git ignores ${excluded.join(' and ')} in every worktree (info/exclude of the repository)`);
    const count = installed.data?.worktrees.length ?? 0;
    if (count > 0) logger.info(`  ✔ ${count} stage worktree${count === 1 ? '' : 's'}: agents started there get the guard hook and the stage's brief`);
  };
}

function textOf(outcome: Outcome): string {
  if (!outcome.ok && outcome.failure) throw new Error(failureText(outcome.failure));
  return outcome.text;
}

/**
 * The hook's command: this plugin's own bin by its path, run by node (npx would add its own
 * start-up, several times the guard's, to every edit). From the sources (tests), `npx nx-stages`.
 */
function guardCommandLine(folder: string): string {
  const bin = join(__dirname, '..', '..', 'bin', 'nx-stages.js');
  const plan = folder === DEFAULT_PLAN_FOLDER ? '' : ` --plan=${shellQuote(folder)}`;
  return `${existsSync(bin) ? `node ${shellQuote(bin)}` : 'npx nx-stages'} guard${plan}`;
}

/** One word for a POSIX shell, whatever it holds. */
function shellQuote(text: string): string {
  return /^[\w./=:-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

export default agentsGenerator;
