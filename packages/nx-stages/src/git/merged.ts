import { resolveCommit } from './branch';
import { fail, ok, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';

/**
 * Whether `branch` is already in `base`:
 * - 'ancestor': its tip is in base's history (merged, or fast-forwarded);
 * - 'content': not in the history, but merging it would change nothing — squash merges,
 *   cherry-picks, branches rebased before merging;
 * - false: merging would bring something new, or would conflict.
 * Conservative by design: when base has since changed the same lines, the answer is false
 * (never "merged" for work that might not be).
 */
export async function mergedInto(root: string, branch: string, base: string): Promise<GitResult<'ancestor' | 'content' | false>> {
  const [branchSha, baseSha] = await Promise.all([resolveCommit(root, branch), resolveCommit(root, base)]);
  if (!branchSha.ok) return branchSha;
  if (!baseSha.ok) return baseSha;

  // Commits on branch that base lacks; 0 = its tip is in base's history. (rev-list --count rather
  // than merge-base --is-ancestor: same answer, but printed, and simple-git adds 50 ms to silent commands.)
  const missing = await countCommits(root, baseSha.value, branchSha.value);
  if (!missing.ok) return missing;
  if (missing.value === 0) return ok('ancestor');

  // A merge computed in memory (git ≥ 2.38): no checkout, index or ref is touched. Exit 0 = clean,
  // 1 = conflicts; the first line of stdout is the merged tree.
  const forecast = await runGit(root, ['merge-tree', '--write-tree', '--no-messages', baseSha.value, branchSha.value]);
  if (!forecast.ok) return forecast;
  if (forecast.value.exitCode === 1) return ok(false);
  if (forecast.value.exitCode !== 0) {
    return fail(
      `Could not forecast merging ${branch} into ${base} in ${root}: ${gitSaid(forecast.value)}`,
      /unrelated histories/.test(gitSaid(forecast.value)) ? `${branch} and ${base} share no history.` : 'merge-tree --write-tree needs git 2.38 or newer.',
    );
  }
  const mergedTree = forecast.value.stdout.split('\n')[0].trim();
  const baseTree = await gitText(root, ['rev-parse', '--verify', `${baseSha.value}^{tree}`]);
  if (!baseTree.ok) return baseTree;
  return ok(mergedTree === baseTree.value.trim() ? 'content' : false);
}

/** Number of commits on `branch` that are not in `base`'s history (squash-merged ones still count). */
export async function unmergedCommits(root: string, branch: string, base: string): Promise<GitResult<number>> {
  const [branchSha, baseSha] = await Promise.all([resolveCommit(root, branch), resolveCommit(root, base)]);
  if (!branchSha.ok) return branchSha;
  if (!baseSha.ok) return baseSha;
  return countCommits(root, baseSha.value, branchSha.value);
}

/** Commits reachable from `tip` but not from `base` (both SHAs). */
export async function countCommits(root: string, base: string, tip: string): Promise<GitResult<number>> {
  const counted = await gitText(root, ['rev-list', '--count', `${base}..${tip}`]);
  if (!counted.ok) return counted;
  const count = Number(counted.value.trim());
  return Number.isInteger(count) ? ok(count) : fail(`Unexpected answer from git rev-list in ${root}: ${counted.value}`);
}
