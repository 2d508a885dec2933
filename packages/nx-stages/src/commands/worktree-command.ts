import type { Plan } from '../core/model';
import { createWorktree, WorktreeError, type CreateWorktreeOptions } from './create-worktree';
import { describeWorktree } from './describe-worktree';
import type { CommandResult } from './validate';

export interface WorktreeCommandOptions extends Omit<CreateWorktreeOptions, 'log'> {
  dryRun?: boolean;
}

/**
 * `npx nx-stages worktree <id>`: what `nx g nx-stages:worktree` does, without Nx's start-up and
 * project graph (seconds in a large workspace), for scripts and agents. Progress goes to
 * `progress` (stderr); the output is only the new worktree's path, so
 * `cd "$(npx nx-stages worktree 9.1)"` works. A dry run prints the plan and outputs nothing.
 */
export async function worktreeCommand(root: string, plan: Plan, id: string, options: WorktreeCommandOptions, progress: (line: string) => void): Promise<CommandResult> {
  try {
    progress(await describeWorktree(root, plan, id, options));
    if (options.dryRun) {
      progress('Dry run: nothing was created.');
      return { success: true, output: '' };
    }
    const created = await createWorktree(root, plan, id, { ...options, log: (line) => progress(`  ✔ ${line}`) });
    progress(`Stage ${id} is ready on port ${created.port}.`);
    return { success: true, output: created.path };
  } catch (error) {
    if (error instanceof WorktreeError) return { success: false, output: `nx-stages: ${error.message}` };
    throw error;
  }
}
