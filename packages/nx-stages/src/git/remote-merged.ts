import { countCommits, mergedInto } from './merged';
import { ok, type GitResult } from './result';
import { gitText } from './run';

/**
 * Whether a branch fetched from the remote (no reflog here to tell work from a fast-forward) is
 * in `base`, judged by content and history only:
 * - 'merged': merging it would change nothing although it is not in base's history (a squash or
 *   rebase-and-merge on the forge), or a merge commit in base brought it in as a second parent
 *   (a merge commit on the forge, or nx-stages' own);
 * - 'no-commits': its tip is in base's history but no merge brought it: a branch published
 *   before any work (a fast-forwarded branch looks the same; forges do not fast-forward);
 * - false: it has work base lacks.
 */
export async function remoteBranchMerged(root: string, tip: string, base: string): Promise<GitResult<'merged' | 'no-commits' | false>> {
  const merged = await mergedInto(root, tip, base);
  if (!merged.ok) return merged;
  if (merged.value === false) return ok(false);
  if (merged.value === 'content') return ok('merged');
  const brought = await broughtByMerge(root, tip, base);
  if (!brought.ok) return brought;
  return ok(brought.value ? 'merged' : 'no-commits');
}

/** Whether a merge commit between `tip` and `base` has `tip` in its second parent's history but not in its first's. */
async function broughtByMerge(root: string, tip: string, base: string): Promise<GitResult<boolean>> {
  const merges = await gitText(root, ['rev-list', '--merges', '--ancestry-path', '--parents', `${tip}..${base}`]);
  if (!merges.ok) return merges;
  for (const line of merges.value.split('\n')) {
    const [, first, ...others] = line.trim().split(' ');
    if (!first || others.length === 0) continue;
    const missingFromFirst = await countCommits(root, first, tip);
    if (!missingFromFirst.ok) return missingFromFirst;
    if (missingFromFirst.value > 0) return ok(true);
  }
  return ok(false);
}
