import type { Plan } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { openRepository } from '../git/repository';
import { listWorktrees } from '../git/worktree-list';
import type { CommandResult } from './validate';

/**
 * The worktree that has the stage's branch checked out, read from `git worktree list`, so it
 * is right from any checkout of the repository and whatever folder the worktree was created in.
 */
export async function findWorktreeCommand(root: string, plan: Plan, id: string): Promise<CommandResult> {
  if (!plan.stages.some((stage) => stage.id === id)) {
    return { success: false, output: `nx-stages: no stage ${JSON.stringify(id)} in ${plan.settings.file}.` };
  }
  const repository = await openRepository(root);
  if (!repository.ok) return { success: false, output: `nx-stages: ${repository.message}` };
  const worktrees = await listWorktrees(repository.value.root);
  if (!worktrees.ok) return { success: false, output: `nx-stages: ${worktrees.message}` };
  const branch = stageBranch(plan.settings, id);
  const worktree = worktrees.value.find((entry) => entry.branch === branch);
  if (!worktree) {
    return { success: false, output: `nx-stages: stage ${id} has no worktree (no checkout of ${branch}). Create it with \`nx g nx-stages:worktree ${id}\`.` };
  }
  return { success: true, output: worktree.path };
}
