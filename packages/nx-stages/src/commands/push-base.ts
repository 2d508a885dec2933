import { isAncestor } from '../git/content';
import { countCommits } from '../git/merged';
import { fetchRemote, pushBranch, remoteMoved, type PushFailure } from '../git/remote';
import { resolveCommit } from '../git/branch';
import { fail, ok, type GitResult } from '../git/result';

const remoteRef = (remote: string, base: string) => `refs/remotes/${remote}/${base}`;

/**
 * Before a merge that will be pushed: the remote fetched, and the local base holding everything
 * its remote copy has. A base behind (or diverged from) its remote copy is refused before
 * anything is merged: a merge onto a stale base could only be pushed by redoing it.
 */
export async function baseUpToDate(root: string, remote: string, base: string): Promise<GitResult<void>> {
  const fetched = await fetchRemote(root, remote);
  if (!fetched.ok) return fetched;
  const current = await remoteContained(root, remote, base);
  if (!current.ok || current.value) return current.ok ? ok(undefined) : current;
  return fail(
    `your ${base} is behind ${remote}/${base} (someone pushed to it); nothing was merged`,
    `Pull it first (\`git pull --no-rebase ${remote} ${base}\` in the checkout of ${base}), then merge again.`,
    { kind: 'refused' },
  );
}

/** Whether the remote's base (as last fetched) is in the local base; true when the remote has no base yet. */
async function remoteContained(root: string, remote: string, base: string): Promise<GitResult<boolean>> {
  const tip = await resolveCommit(root, remoteRef(remote, base));
  if (!tip.ok) return ok(true);
  return isAncestor(root, tip.value, base);
}

/** What pushing the base did: pushed it (`retried` after a fetch), or found the remote already has it. */
export type BasePush = 'pushed' | 'retried' | 'up-to-date';

/**
 * Pushes the base after a merge, never forced. Refused (the remote base moved since the fetch):
 * fetch, re-check that the merged result still holds — the verified commit is in the local base
 * and the remote base is an ancestor of it — and push once more; otherwise refuse with the fix,
 * the local merge left in place and the remote as it was.
 */
export async function pushBase(root: string, remote: string, base: string, verified: string | undefined): Promise<{ ok: true; value: BasePush } | PushFailure> {
  // Every commit of the local base already on the remote (as last fetched): nothing to push.
  const tip = await resolveCommit(root, remoteRef(remote, base));
  if (tip.ok) {
    const unpushed = await countCommits(root, tip.value, base);
    if (!unpushed.ok) return unpushed;
    if (unpushed.value === 0) return ok('up-to-date');
  }
  const first = await pushBranch(root, remote, base);
  // Only a remote that moved is worth a fetch and another try; its own rules say no again.
  if (first.ok || !remoteMoved(first)) return first.ok ? ok('pushed') : first;
  const fetched = await fetchRemote(root, remote);
  if (!fetched.ok) return fetched;
  const holds = await remoteContained(root, remote, base);
  if (!holds.ok) return holds;
  const proven = verified ? await isAncestor(root, verified, base) : ok(true);
  if (!proven.ok) return proven;
  if (holds.value && proven.value) {
    const again = await pushBranch(root, remote, base);
    if (again.ok || again.kind !== 'refused') return again.ok ? ok('retried') : again;
  }
  return fail(`${remote} refused ${base}: ${remote}/${base} moved since the merge began, so the merge would need redoing; ${remote} is as it was`, undefined, { kind: 'refused' });
}
