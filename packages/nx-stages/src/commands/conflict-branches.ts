// The stage branches a forecast reads: which copy (local, or a teammate's on the remote), the
// commit (with uncommitted work on top when asked), and where each stands against the bases.
import type { BranchState } from '../core/conflict-forecast';
import type { Stage } from '../core/model';
import { resolveCommit } from '../git/branch';
import { mergeBase, treeOf } from '../git/merge-tree';
import { fail, ok, type GitFailure, type GitResult } from '../git/result';
import { stageMergedForTeam } from '../git/stage-merged';
import { listWorktrees } from '../git/worktree-list';
import { snapshotWorktree } from '../git/worktree-snapshot';
import type { TeamView } from './team-view';

/** Git processes at once: a few in flight hide process start-up on a 2-core machine, more only queue for the CPU. */
export const CONCURRENCY = 4;

/** A stage with a branch to look at: the copy read and the commit forecast (uncommitted work on top, when taken). */
export interface Tipped {
  stage: Stage;
  branch: string;
  ref: string;
  tip: string;
  uncommitted: string[] | null;
}

/**
 * Each stage's copy to forecast: the local branch, else the remote's (a teammate's); with
 * `uncommitted`, a local worktree's uncommitted work as a commit on top of the branch.
 */
export async function stageTips(
  repoRoot: string,
  stages: readonly Stage[],
  branches: readonly string[],
  team: TeamView,
  uncommitted: boolean,
): Promise<GitResult<Array<Tipped | { stage: Stage; branch: string }>>> {
  const worktrees = uncommitted ? await listWorktrees(repoRoot) : ok([]);
  if (!worktrees.ok) return worktrees;
  const shortRemote = (ref: string) => ref.slice('refs/remotes/'.length);
  return mapLimited(
    stages.map((stage, i) => ({ stage, branch: branches[i] })),
    CONCURRENCY,
    async ({ stage, branch }): Promise<GitResult<Tipped | { stage: Stage; branch: string }>> => {
      const copy = team.copies.get(branch);
      if (copy?.local) {
        const worktree = worktrees.value.find((entry) => entry.branch === branch && !entry.prunable);
        const snapshot = worktree ? await snapshotWorktree(worktree.path) : ok(undefined);
        if (!snapshot.ok) return snapshot;
        const tip = snapshot.value?.commit ?? copy.local;
        return ok({ stage, branch, ref: branch, tip, uncommitted: snapshot.value?.files ?? null });
      }
      if (copy?.remote) return ok({ stage, branch, ref: shortRemote(team.remoteRef(branch)), tip: copy.remote, uncommitted: null });
      return ok({ stage, branch });
    },
  );
}

/**
 * Where each branch stands. Merging it changing nothing in the base or the other base (its tip
 * in that history, or its content there) is the only way it can be merged or have no commits of
 * its own: only those branches get the exact test (stageMergedForTeam, which also judges a
 * remote-only branch by content and history), the others are unmerged without more git calls.
 */
export async function judgeStates(
  repoRoot: string,
  entries: readonly Tipped[],
  inBase: readonly boolean[],
  inSomeBase: readonly boolean[],
  localBase: string,
  team: TeamView,
): Promise<GitResult<BranchState[]>> {
  return mapLimited(
    entries.map((entry, i) => ({ entry, inBase: inBase[i], maybeMerged: inSomeBase[i] || entry.uncommitted !== null })),
    CONCURRENCY,
    async ({ entry, inBase, maybeMerged }): Promise<GitResult<BranchState>> => {
      // Uncommitted work on top is never in a base; the branch under it may be, which the exact test sees.
      if (!maybeMerged) return ok('unmerged');
      const merged = await stageMergedForTeam(repoRoot, { id: entry.stage.id, branch: entry.branch }, localBase, team.refsOf(entry.branch));
      if (!merged.ok) return merged;
      if (merged.value) return ok('merged');
      return ok(inBase ? 'no-commits' : 'unmerged');
    },
  );
}

/** The base not forecast against, when the plan has a remote and its base and the local one differ. */
export async function otherBase(repoRoot: string, team: TeamView, localBase: string, baseSha: string): Promise<GitResult<{ commit: string; tree: string } | undefined>> {
  const remoteBase = team.refsOf('').base;
  if (!remoteBase) return ok(undefined);
  const commit = await resolveCommit(repoRoot, team.countBase === localBase ? remoteBase : localBase);
  if (!commit.ok) return commit;
  if (commit.value === baseSha) return ok(undefined);
  const tree = await treeOf(repoRoot, commit.value);
  return tree.ok ? ok({ commit: commit.value, tree: tree.value }) : tree;
}

/**
 * A batch against the base failed: when a branch shares no history with the base (git refuses
 * to merge it), the refusal names that branch; otherwise it is the batch's own failure.
 */
export async function unrelatedBranch(repoRoot: string, entries: readonly Tipped[], baseSha: string, base: string, failure: GitFailure): Promise<GitFailure> {
  for (const entry of entries) {
    const forkPoint = await mergeBase(repoRoot, baseSha, entry.tip);
    if (!forkPoint.ok) return forkPoint;
    if (forkPoint.value === undefined) {
      return fail(
        `Branch ${entry.ref} of stage ${entry.stage.id} shares no history with ${base}, so it cannot be merged`,
        `Recreate it from ${base} (nx g nx-stages:worktree ${entry.stage.id}) and move the work over.`,
        { kind: 'refused' },
      );
    }
  }
  return failure;
}

/**
 * `fn` over every item, at most `limit` at a time, results in item order. Stops starting new
 * work after the first failure and returns that failure.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<GitResult<R>>): Promise<GitResult<R[]>> {
  const results = new Array<R>(items.length);
  let next = 0;
  let firstFailure: GitFailure | undefined;
  const worker = async () => {
    while (firstFailure === undefined && next < items.length) {
      const index = next++;
      const result = await fn(items[index]);
      if (!result.ok) firstFailure ??= result;
      else results[index] = result.value;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return firstFailure ?? ok(results);
}
