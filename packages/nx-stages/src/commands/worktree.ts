import { DEPENDENCY_SETUPS, type DependencySetup, type Plan } from '../core/model';
import { createWorktree, WorktreeError, type CreateWorktreeOptions } from './create-worktree';
import { describeWorktree } from './describe-worktree';
import type { CommandResult } from './validate';

export interface WorktreeCommandOptions extends Omit<CreateWorktreeOptions, 'log' | 'dependencies'> {
  /** As typed on the command line: checked here. */
  dependencies?: string;
  dryRun?: boolean;
}

/**
 * `npx nx-stages worktree <id>`: what `nx g nx-stages:worktree` does, without Nx's start-up and
 * project graph (seconds in a large workspace), for scripts and agents. Progress goes to
 * `progress` (stderr); the output is only the new worktree's path, so
 * `cd "$(npx nx-stages worktree 9.1)"` works. A dry run prints the plan and outputs nothing.
 */
export async function worktreeCommand(root: string, plan: Plan, id: string, options: WorktreeCommandOptions, progress: (line: string) => void): Promise<CommandResult> {
  const { dependencies } = options;
  if (dependencies !== undefined && !DEPENDENCY_SETUPS.includes(dependencies as DependencySetup)) {
    return { success: false, output: `nx-stages: --dependencies must be one of ${DEPENDENCY_SETUPS.join(', ')}, not ${JSON.stringify(dependencies)}. Nothing was created.` };
  }
  const checked = { ...options, dependencies: dependencies as DependencySetup | undefined };
  try {
    progress(await describeWorktree(root, plan, id, checked));
    if (options.dryRun) {
      progress('Dry run: nothing was created.');
      return { success: true, output: '' };
    }
    const created = await createWorktree(root, plan, id, { ...checked, log: (line) => progress(`  ✔ ${line}`) });
    progress(`Stage ${id} is ready on port ${created.port}.`);
    return { success: true, output: created.path };
  } catch (error) {
    if (error instanceof WorktreeError) return { success: false, output: `nx-stages: ${error.message}` };
    throw error;
  }
}
