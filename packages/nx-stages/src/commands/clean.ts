import { relative } from 'node:path';
import type { Plan } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { branchExists, deleteBranch } from '../git/branch';
import { uncommittedChanges } from '../git/changes';
import { withLock } from '../git/lock';
import { mergedInto } from '../git/merged';
import { openRepository } from '../git/repository';
import { stageMerged } from '../git/stage-merged';
import { listWorktrees, pruneWorktrees } from '../git/worktree-list';
import { removeWorktree } from '../git/worktree-remove';
import { resolveBase } from './resolve-base';
import type { CommandResult } from './validate';

export interface CleanOptions {
  force?: boolean;
  dryRun?: boolean;
  deleteBranch?: boolean;
  /** Only these stage ids (merge --cleanup cleans the stage it merged). */
  only?: readonly string[];
}

/**
 * Removes the worktrees (and with deleteBranch, the branches) of stages merged into the base.
 * Stages not merged are never touched. A merged stage's worktree with uncommitted files, or a
 * branch with commits after the merge, is kept unless --force: nothing is lost by default.
 */
export async function cleanCommand(root: string, plan: Plan, options: CleanOptions = {}): Promise<CommandResult> {
  const repository = await openRepository(root);
  if (!repository.ok) return { success: false, output: repository.message };
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings);
  if (!base.ok) return { success: false, output: `${base.message} ${base.hint ?? ''}`.trim() };

  return withLock(repository.value.commonDir, 'worktrees', async () => {
    await pruneWorktrees(repoRoot);
    const worktrees = await listWorktrees(repoRoot);
    if (!worktrees.ok) return { success: false, output: worktrees.message };
    const lines: string[] = [];
    let refused = 0;
    const verb = options.dryRun ? 'would remove' : 'removed';
    for (const stage of plan.stages) {
      if (options.only && !options.only.includes(stage.id)) continue;
      const branch = stageBranch(plan.settings, stage.id);
      const worktree = worktrees.value.find((entry) => entry.branch === branch);
      const exists = await branchExists(repoRoot, branch);
      if (!exists.ok) return { success: false, output: exists.message };
      if (!worktree && !(options.deleteBranch && exists.value)) continue;
      const merged = await stageMerged(repoRoot, { id: stage.id, branch }, base.value);
      if (!merged.ok) return { success: false, output: merged.message };
      if (!merged.value) {
        lines.push(`  kept   stage ${stage.id}: not merged into ${base.value}`);
        continue;
      }
      const reasons = await reasonsToKeep(worktree?.path, exists.value ? branch : undefined, repoRoot, base.value);
      if (reasons.length > 0 && !options.force) {
        refused++;
        lines.push(`  kept   stage ${stage.id}: ${reasons.join('; ')} (commit or merge them first, or pass --force to discard)`);
        continue;
      }
      const where = worktree ? relative(root, worktree.path) : undefined;
      if (worktree && !options.dryRun) {
        const removed = await removeWorktree(repoRoot, worktree.path, { force: Boolean(options.force) });
        if (!removed.ok) return { success: false, output: [...lines, `  failed stage ${stage.id}: ${removed.message}`].join('\n') };
      }
      if (options.deleteBranch && exists.value && !options.dryRun) {
        const deleted = await deleteBranch(repoRoot, branch, { force: true });
        if (!deleted.ok) return { success: false, output: [...lines, `  failed stage ${stage.id}: ${deleted.message}`].join('\n') };
      }
      const what = [where ? `worktree ${where}` : '', options.deleteBranch && exists.value ? `branch ${branch}` : ''].filter(Boolean).join(' and ');
      lines.push(`  ${verb.padEnd(6)} stage ${stage.id}: ${what}`);
    }
    if (lines.length === 0) lines.push('  nothing to clean: no stage worktrees');
    return { success: refused === 0, output: [`Clean${options.dryRun ? ' (dry run)' : ''}: stages merged into ${base.value}`, ...lines].join('\n') };
  });
}

/** What would be lost: uncommitted files in the worktree, commits on the branch not in the base. */
async function reasonsToKeep(worktree: string | undefined, branch: string | undefined, root: string, base: string): Promise<string[]> {
  const reasons: string[] = [];
  if (worktree) {
    const changes = await uncommittedChanges(worktree);
    if (!changes.ok) reasons.push(`could not check for changes (${changes.message})`);
    else if (changes.value.length > 0) reasons.push(`${changes.value.length} uncommitted file${changes.value.length === 1 ? '' : 's'} (${changes.value.slice(0, 3).join(', ')}${changes.value.length > 3 ? ', …' : ''})`);
  }
  if (branch) {
    const merged = await mergedInto(root, branch, base);
    if (!merged.ok) reasons.push(`could not compare with ${base} (${merged.message})`);
    else if (merged.value === false) reasons.push(`commits on ${branch} that are not in ${base}`);
  }
  return reasons;
}
