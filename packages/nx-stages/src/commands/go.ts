import type { Plan } from '../core/model';
import { done, failed, refuse, type Outcome } from '../core/outcome';
import { stageBranch } from '../core/worktree-layout';
import { openRepository } from '../git/repository';
import { listWorktrees } from '../git/worktree-list';
import { unknownStage } from './unknown-stage';

/**
 * The worktree that has the stage's branch checked out, read from `git worktree list`, so it
 * is right from any checkout of the repository and whatever folder the worktree was created in.
 */
export async function findWorktreeCommand(root: string, plan: Plan, id: string): Promise<Outcome<{ id: string; path: string }>> {
  if (!plan.stages.some((stage) => stage.id === id)) return unknownStage(plan, id);
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const worktrees = await listWorktrees(repository.value.root);
  if (!worktrees.ok) return failed(worktrees);
  const branch = stageBranch(plan.settings, id);
  const worktree = worktrees.value.find((entry) => entry.branch === branch);
  if (!worktree) return refuse('not-found', `stage ${id} has no worktree (no checkout of ${branch})`, `Create it with \`nx g nx-stages:worktree ${id}\`.`);
  return done(worktree.path, { id, path: worktree.path });
}
