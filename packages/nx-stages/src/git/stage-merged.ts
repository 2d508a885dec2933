import { branchExists } from './branch';
import { mergedInto } from './merged';
import { ok, type GitResult } from './result';
import { gitText } from './run';

/**
 * Whether a stage's work is in `base`:
 * - the merge commit nx-stages writes ("Merge Stage <id>: …") is in base — also after
 *   `clean --deleteBranch` removed the branch; or
 * - its branch's content is in base (squash merge, rebase-and-merge); or
 * - its branch is an ancestor of base and has commits of its own (its reflog records a commit).
 *   A branch that only moved by fast-forwarding to the base (a sync with no work yet) is an
 *   ancestor too, but it is a stage not started, not a merged one.
 */
export async function stageMerged(root: string, stage: { id: string; branch: string }, base: string): Promise<GitResult<boolean>> {
  // rev-list --count always prints (0 or 1): simple-git waits 50 ms longer for a command that prints nothing.
  const mergeCommit = await gitText(root, ['rev-list', '--count', '--max-count=1', '--fixed-strings', `--grep=Merge Stage ${stage.id}: `, base, '--']);
  if (!mergeCommit.ok) return mergeCommit;
  if (mergeCommit.value.trim() !== '0') return ok(true);

  const exists = await branchExists(root, stage.branch);
  if (!exists.ok || !exists.value) return exists.ok ? ok(false) : exists;
  const merged = await mergedInto(root, stage.branch, base);
  if (!merged.ok || merged.value !== 'ancestor') return merged.ok ? ok(merged.value === 'content') : merged;
  const work = await hasOwnCommits(root, stage.branch);
  // Without a reflog (a branch fetched from elsewhere) ancestry is all we know.
  return ok(work ?? true);
}

/** Whether the branch's reflog records work done on it; undefined when it has no reflog. */
async function hasOwnCommits(root: string, branch: string): Promise<boolean | undefined> {
  const reflog = await gitText(root, ['reflog', 'show', '--format=%gs', `refs/heads/${branch}`, '--']);
  if (!reflog.ok || reflog.value.trim() === '') return undefined;
  // "commit: …", "commit (amend): …", "commit (merge): …", "cherry-pick: …", "revert: …",
  // "rebase (pick): …": each made a commit on this branch. "merge main: Fast-forward" did not.
  return reflog.value.split('\n').some((subject) => /^(commit( \([^)]*\))?|cherry-pick|revert|rebase( -i)? \((pick|reword|edit|squash|fixup)\)):/.test(subject));
}
