import type { Plan } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { openRepository } from '../git/repository';
import { fail, ok, type GitResult } from '../git/result';
import { listWorktrees } from '../git/worktree-list';
import { resolveBase } from './resolve-base';

export interface StageCheckout {
  /** Folder where the stage's branch is checked out. */
  checkout: string;
  branch: string;
  base: string;
  commonDir: string;
  /** True when it is the checkout the command was started from. */
  inPlace: boolean;
}

/**
 * Where a stage's work is checked out: the current checkout when it is on the stage's branch (or
 * `inPlace` asks for it, e.g. CI on a detached head), else the stage's worktree.
 */
export async function locateStageCheckout(root: string, plan: Plan, id: string, options: { base?: string; inPlace?: boolean } = {}): Promise<GitResult<StageCheckout>> {
  const repository = await openRepository(root);
  if (!repository.ok) return repository;
  const { root: here, branch: current, commonDir } = repository.value;
  const base = await resolveBase(here, plan.settings, options.base);
  if (!base.ok) return base;
  const branch = stageBranch(plan.settings, id);
  if (options.inPlace || current === branch) return ok({ checkout: here, branch, base: base.value, commonDir, inPlace: true });
  const worktrees = await listWorktrees(here);
  if (!worktrees.ok) return worktrees;
  const worktree = worktrees.value.find((entry) => entry.branch === branch && !entry.prunable);
  if (!worktree) {
    return fail(
      `Stage ${id} has no checkout: its branch ${branch} is not checked out in any worktree`,
      `Create it with \`nx g nx-stages:worktree ${id}\`, or run this from a checkout of ${branch}.`,
      { kind: 'not-found' },
    );
  }
  return ok({ checkout: worktree.path, branch, base: base.value, commonDir, inPlace: false });
}
