import type { Plan } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { integrate } from '../git/integrate';
import { withLock } from '../git/lock';
import { openRepository } from '../git/repository';
import { listWorktrees } from '../git/worktree-list';
import { resolveBase } from './resolve-base';
import type { CommandResult } from './validate';

export interface SyncOptions {
  strategy?: 'merge' | 'rebase';
  base?: string;
}

/**
 * Brings the base branch into a stage branch, in the stage's worktree. A conflict aborts: the
 * branch and worktree are left exactly as they were and the files are named — never resolved
 * automatically. One operation per stage at a time (lock), so `run-many -t sync` is safe.
 */
export async function syncStageCommand(root: string, plan: Plan, id: string, options: SyncOptions = {}): Promise<CommandResult> {
  const fail = (output: string): CommandResult => ({ success: false, output });
  const repository = await openRepository(root);
  if (!repository.ok) return fail(repository.message);
  const base = await resolveBase(repository.value.root, plan.settings, options.base);
  if (!base.ok) return fail(`${base.message}${base.hint ? ` ${base.hint}` : ''}`);
  const branch = stageBranch(plan.settings, id);
  const worktrees = await listWorktrees(repository.value.root);
  if (!worktrees.ok) return fail(worktrees.message);
  const worktree = worktrees.value.find((entry) => entry.branch === branch);
  // `run-many -t sync` covers stages not started yet: for them there is nothing to do.
  if (!worktree) return { success: true, output: `Stage ${id} has no worktree yet: nothing to sync (create it with \`nx g nx-stages:worktree ${id}\`).` };

  const strategy = options.strategy ?? 'merge';
  const result = await withLock(repository.value.commonDir, `stage-${id}`, () =>
    integrate(worktree.path, base.value, strategy, `Merge ${base.value} into ${branch}`),
  );
  if (!result.ok) {
    const files = result.conflicts?.length ? ` Conflicting files: ${result.conflicts.join(', ')}.` : '';
    const how = strategy === 'rebase' ? `git rebase ${base.value}` : `git merge ${base.value}`;
    return fail(
      `Sync of stage ${id} stopped: ${result.message}.${files}` +
        (result.conflicts?.length ? ` Nothing changed. Resolve it by hand in ${worktree.path} (${how}), then run sync again.` : result.hint ? ` ${result.hint}` : ''),
    );
  }
  return {
    success: true,
    output: result.value.changed
      ? `Stage ${id}: ${strategy === 'rebase' ? 'rebased' : 'merged'} ${base.value} into ${branch} (now ${result.value.head.slice(0, 7)})`
      : `Stage ${id}: ${branch} is up to date with ${base.value}`,
  };
}
