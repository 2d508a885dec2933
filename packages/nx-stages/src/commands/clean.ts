import { relative } from 'node:path';
import type { Plan } from '../core/model';
import { stageBranch, unsafeBranchReason } from '../core/worktree-layout';
import { branchExists, deleteBranch, resolveCommit } from '../git/branch';
import { withLock } from '../git/lock';
import { openRepository } from '../git/repository';
import { stageMerged } from '../git/stage-merged';
import { listWorktrees, pruneWorktrees, type WorktreeEntry } from '../git/worktree-list';
import { filesOnlyOnDisk, removeWorktree } from '../git/worktree-remove';
import { forgetCreatedBranch, wasCreatedByStages } from '../io/created-branches';
import { reasonsToKeep } from './clean-checks';
import { resolveBase } from './resolve-base';
import type { CommandResult } from './validate';
import { failureText } from '../core/outcome';

export interface CleanOptions {
  force?: boolean;
  dryRun?: boolean;
  deleteBranch?: boolean;
  /** Only these stage ids (merge --cleanup cleans the stage it merged). */
  only?: readonly string[];
}

interface CleanContext {
  root: string;
  repoRoot: string;
  commonDir: string;
  plan: Plan;
  base: string;
  worktrees: WorktreeEntry[];
  options: CleanOptions;
}

/** What clean did with one stage: lines to print (refused: kept for a reason the user must act on), or a failure that stops it. */
type StageOutcome = { lines: string[]; refused: boolean } | { failed: string };

/**
 * Removes the worktrees (and with deleteBranch, the branches) of stages merged into the base.
 * Stages not merged are never touched. A merged stage's worktree with uncommitted files or files
 * edited since nx-stages created them, or a branch with commits not in the base, is kept unless
 * --force: nothing is lost by default. Never, even with --force: the base branch, a branch
 * checked out in another checkout, the main checkout.
 */
export async function cleanCommand(root: string, plan: Plan, options: CleanOptions = {}): Promise<CommandResult> {
  const repository = await openRepository(root);
  if (!repository.ok) return { success: false, output: repository.message };
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings);
  if (!base.ok) return { success: false, output: failureText(base) };

  return withLock(repository.value.commonDir, 'worktrees', async () => {
    await pruneWorktrees(repoRoot);
    const worktrees = await listWorktrees(repoRoot);
    if (!worktrees.ok) return { success: false, output: worktrees.message };
    const context: CleanContext = { root, repoRoot, commonDir: repository.value.commonDir, plan, base: base.value, worktrees: worktrees.value, options };
    const lines: string[] = [];
    let refused = 0;
    for (const stage of plan.stages) {
      if (options.only && !options.only.includes(stage.id)) continue;
      const outcome = await cleanStage(context, stage.id);
      if (!outcome) continue;
      if ('failed' in outcome) return { success: false, output: [...lines, `  failed stage ${stage.id}: ${outcome.failed}`].join('\n') };
      lines.push(...outcome.lines);
      if (outcome.refused) refused++;
    }
    if (lines.length === 0) lines.push('  nothing to clean: no stage worktrees');
    // A dry run only reports: what it would keep is an answer, not a failure.
    return {
      success: options.dryRun === true || refused === 0,
      report: true,
      output: [`Clean${options.dryRun ? ' (dry run)' : ''}: stages merged into ${base.value}`, ...lines].join('\n'),
    };
  });
}

/** Undefined when the stage has nothing to clean (no worktree, and no branch to delete). */
async function cleanStage(context: CleanContext, id: string): Promise<StageOutcome | undefined> {
  const { root, repoRoot, commonDir, plan, base, worktrees, options } = context;
  const branch = stageBranch(plan.settings, id);
  const kept = (why: string, refused = true): StageOutcome => ({ lines: [`  kept   stage ${id}: ${why}`], refused });
  // A pattern naming the base branch (or HEAD) makes the stage's "branch" someone else's: touch nothing.
  const unsafe = unsafeBranchReason(branch, { base });
  if (unsafe) return kept(`its branch ${branch} ${unsafe}; nothing was removed (fix branchPattern in ${plan.settings.file})`);
  const checkouts = worktrees.filter((entry) => entry.branch === branch);
  // The stage's worktree is a linked one: the main checkout (listed first) is never removed.
  const worktree = checkouts.find((entry) => entry !== worktrees[0]);
  const elsewhere = checkouts.filter((entry) => entry !== worktree).map((entry) => entry.path);
  const exists = await branchExists(repoRoot, branch);
  if (!exists.ok) return { failed: exists.message };
  // A branch that existed before nx-stages made the stage's worktree is a person's: kept unless --force.
  const notOurs = options.deleteBranch === true && exists.value && !options.force && !(await wasCreatedByStages(commonDir, branch));
  const keptBranch = notOurs ? [`    kept branch ${branch}: nx-stages did not create it (delete it yourself with git branch -d ${branch}, or pass --force)`] : [];
  const deleting = options.deleteBranch === true && exists.value && !notOurs;
  if (!worktree && !deleting) return keptBranch.length > 0 ? { lines: [`  kept   stage ${id}: branch ${branch}`, ...keptBranch], refused: false } : undefined;

  const merged = await stageMerged(repoRoot, { id, branch }, base);
  if (!merged.ok) return { failed: merged.message };
  if (!merged.value) return kept(`not merged into ${base}`, false);
  if (deleting && elsewhere.length > 0) return kept(`branch ${branch} is checked out in ${elsewhere.join(', ')} (switch that checkout to another branch first)`);
  // The tip judged below is the one deleted: work added meanwhile makes the deletion refuse.
  const tip = deleting ? await resolveCommit(repoRoot, `refs/heads/${branch}`) : undefined;
  if (tip && !tip.ok) return { failed: tip.message };
  const reasons = await reasonsToKeep(worktree?.path, exists.value ? branch : undefined, repoRoot, base);
  if (reasons.length > 0 && !options.force) return kept(`${reasons.join('; ')} (nothing was removed: commit, merge or copy what you need, or pass --force to discard it)`);

  const what = [worktree ? `worktree ${relative(root, worktree.path)}` : '', deleting ? `branch ${branch}` : ''].filter(Boolean).join(' and ');
  if (options.dryRun) {
    const lines = [`  would remove stage ${id}: ${what}`, ...keptBranch];
    if (worktree) {
      const files = await filesOnlyOnDisk(worktree.path);
      if (!files.ok) return { failed: files.message };
      lines.push(`    ${files.value.length > 0 ? `files not in git: ${files.value.join(', ')}` : 'no files outside git'}`);
    }
    return { lines, refused: false };
  }
  if (worktree) {
    const removed = await removeWorktree(repoRoot, worktree.path, { force: Boolean(options.force) });
    if (!removed.ok) return { failed: removed.message };
  }
  if (deleting && tip?.ok) {
    // -D: merged-ness was judged above by content too (squash merges), which git's -d does not know.
    const deleted = await deleteBranch(repoRoot, branch, { force: true, expectedTip: tip.value });
    if (!deleted.ok) return { failed: deleted.message };
    await forgetCreatedBranch(commonDir, branch);
  }
  return { lines: [`  removed stage ${id}: ${what}`, ...keptBranch], refused: false };
}
