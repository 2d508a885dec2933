import { branchExists, resolveCommit } from './branch';
import { mergedInto } from './merged';
import { ok, type GitResult } from './result';
import { gitText } from './run';

/**
 * Whether a stage's work is in `base`:
 * - the merge commit nx-stages writes ("Merge Stage <id>: …") is in base — also after
 *   `clean --deleteBranch` removed the branch; or
 * - its branch's content is in base (squash merge, rebase-and-merge); or
 * - its branch is an ancestor of base and has moved since it was created. A branch still at
 *   its creation point is an ancestor too, but it is a stage not started, not a merged one.
 */
export async function stageMerged(root: string, stage: { id: string; branch: string }, base: string): Promise<GitResult<boolean>> {
  const mergeCommit = await gitText(root, ['log', '--format=%H', '-1', '--fixed-strings', `--grep=Merge Stage ${stage.id}: `, base, '--']);
  if (!mergeCommit.ok) return mergeCommit;
  if (mergeCommit.value.trim() !== '') return ok(true);

  const exists = await branchExists(root, stage.branch);
  if (!exists.ok || !exists.value) return exists.ok ? ok(false) : exists;
  const merged = await mergedInto(root, stage.branch, base);
  if (!merged.ok || merged.value !== 'ancestor') return merged.ok ? ok(merged.value === 'content') : merged;
  const tip = await resolveCommit(root, stage.branch);
  if (!tip.ok) return tip;
  const creation = await creationPoint(root, stage.branch);
  if (!creation.ok) return creation;
  // Without a reflog (a branch fetched from elsewhere) ancestry is all we know.
  return ok(creation.value === undefined || creation.value !== tip.value);
}

/** The commit a local branch was created at: the oldest entry of its reflog. */
async function creationPoint(root: string, branch: string): Promise<GitResult<string | undefined>> {
  const reflog = await gitText(root, ['reflog', 'show', '--format=%H', `refs/heads/${branch}`, '--']);
  if (!reflog.ok) return ok(undefined);
  const entries = reflog.value.trim().split('\n').filter(Boolean);
  return ok(entries[entries.length - 1]);
}
