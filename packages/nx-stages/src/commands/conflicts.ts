import { realpathSync } from 'node:fs';
import { posix, relative, sep } from 'node:path';
import {
  forecastFailure,
  forecastJson,
  mergeOrder,
  ownershipDrift,
  renderForecast,
  stagePairs,
  type BaseConflict,
  type BranchState,
  type ConflictForecast,
  type DriftEntry,
  type ForecastStage,
  type SimulationResult,
  type StagePairConflict,
} from '../core/conflict-forecast';
import type { Plan, Stage } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { resolveCommit } from '../git/branch';
import { changedFilesBatch, mergeBase, mergeTreeBatch, mergeTreeCheck, simulatedMergeCommit, treeOf, type MergeForecast } from '../git/merge-tree';
import { openRepository } from '../git/repository';
import { fail, ok, type GitFailure, type GitResult } from '../git/result';
import { done, failed, type Outcome } from '../core/outcome';
import { stageMergedForTeam } from '../git/stage-merged';
import { listWorktrees } from '../git/worktree-list';
import { snapshotWorktree } from '../git/worktree-snapshot';
import { resolveBase } from './resolve-base';
import { teamView, type TeamView } from './team-view';

export interface ConflictsOptions {
  base?: string;
  /** Fetch the plan's remote first (never done implicitly). */
  fetch?: boolean;
  /** Forecast what local stage worktrees have not committed yet, instead of their branches' tips. */
  uncommitted?: boolean;
}

/** The `--json` document: the forecast and its verdict (scripts and CI read it). */
export type ConflictsData = ReturnType<typeof forecastJson>;

/**
 * Git processes at once. Each merge-tree is one short process; a few in flight hide process
 * start-up on a 2-core machine, more only queue for the CPU.
 */
const CONCURRENCY = 4;
/** Fewer merges than this go in one batch: a second process would cost more than it saves. */
const MIN_BATCH = 50;

/** What the forecast knows about a stage whose branch takes part: its tip and what it changed. */
interface Candidate {
  stage: Stage;
  tip: string;
  changed: string[];
}

/** A stage with a branch to look at: the copy read and the commit forecast (uncommitted work on top, when taken). */
interface Tipped {
  stage: Stage;
  branch: string;
  ref: string;
  tip: string;
  uncommitted: string[] | null;
}

/**
 * `conflicts`: before anyone merges, every pair of unmerged stage branches and each branch
 * against the base are merged in memory (`git merge-tree`), and so is the whole set in dependency
 * order, chained on unreferenced commits. No checkout, index or ref is touched, so it is safe to
 * run at any time, next to anything. Fails (kind `failed`, the forecast as its report) when a
 * conflict is forecast; drift only warns.
 *
 * With a remote (stages.yaml `remote`), a teammate's stage branch that only the remote has is
 * read from `refs/remotes/<remote>/<branch>` as last fetched (`fetch` refreshes first), and the
 * forecast runs against the newer of the base and the remote's base. Git processes are kept few
 * (they cost more than the merges): one merge-tree batch judges every branch against the base,
 * one diff-tree batch lists what each changed, and only branches that batch shows already in the
 * base get the exact merged test.
 */
export async function conflictsCommand(root: string, plan: Plan, options: ConflictsOptions = {}): Promise<Outcome<ConflictsData>> {
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings, options.base);
  if (!base.ok) return failed(base);
  const order = mergeOrder(plan.stages);
  const byId = new Map(plan.stages.map((stage) => [stage.id, stage]));
  const ordered = order.map((id) => byId.get(id)!);
  const branches = ordered.map((stage) => stageBranch(plan.settings, stage.id));
  const team = await teamView(repository.value, plan, base.value, branches, { fetch: options.fetch });
  if (!team.ok) return failed(team);
  const { countBase } = team.value;
  const shownBase = countBase.startsWith('refs/remotes/') ? countBase.slice('refs/remotes/'.length) : countBase;
  const baseSha = await resolveCommit(repoRoot, countBase);
  if (!baseSha.ok) return failed(baseSha);
  const baseTree = await treeOf(repoRoot, baseSha.value);
  if (!baseTree.ok) return failed(baseTree);
  const toWorkspace = workspacePaths(repoRoot, root);

  const tipped = await stageTips(repoRoot, ordered, branches, team.value, Boolean(options.uncommitted));
  if (!tipped.ok) return failed(tipped);
  const withTip = tipped.value.flatMap((entry) => ('tip' in entry ? [entry] : []));
  // The other base (the local one when the remote's is newer, or the remote's): merged into
  // either counts, so each branch is merged in memory against both when they differ.
  const other = await otherBase(repoRoot, team.value, base.value, baseSha.value);
  if (!other.ok) return failed(other);
  // Each branch against the base in one batch: its conflicts with the base, and whether it is in
  // the base already (merging it changes nothing: an ancestor, or squash-merged).
  const baseMerges = [baseSha.value, ...(other.value ? [other.value.commit] : [])].flatMap((into) => withTip.map((entry) => [into, entry.tip] as const));
  const againstBases = await conflictsOfMany(repoRoot, baseMerges);
  if (!againstBases.ok) return failed(await unrelatedBranch(repoRoot, withTip, baseSha.value, shownBase, againstBases));
  const againstBase = againstBases.value.slice(0, withTip.length);
  const changesNothing = (merge: MergeForecast, tree: string) => merge.clean && merge.tree === tree;
  const inSomeBase = withTip.map(
    (_, i) => changesNothing(againstBase[i], baseTree.value) || (other.value !== undefined && changesNothing(againstBases.value[withTip.length + i], other.value.tree)),
  );
  const states = await judgeStates(repoRoot, withTip, againstBase.map((merge) => changesNothing(merge, baseTree.value)), inSomeBase, base.value, team.value);
  if (!states.ok) return failed(states);

  const unmerged = withTip.flatMap((entry, i) => (states.value[i] === 'unmerged' ? [{ entry, merge: againstBase[i] }] : []));
  const changed = await changedFilesBatch(repoRoot, unmerged.map(({ merge }) => [baseTree.value, merge.tree] as const));
  if (!changed.ok) return failed(changed);
  const candidates: Candidate[] = unmerged.map(({ entry }, i) => ({ stage: entry.stage, tip: entry.tip, changed: changed.value[i].map(toWorkspace) }));

  const pairs = stagePairs(candidates.map((candidate) => candidate.stage.id));
  const tips = new Map(candidates.map((candidate) => [candidate.stage.id, candidate.tip]));
  const merges = pairs.map(([a, b]) => [tips.get(a)!, tips.get(b)!] as const);
  // The simulation is one chain of dependent steps: it runs beside the pairs' batches, which keep
  // the other slots, so at most CONCURRENCY git processes run at once.
  const [simulation, checks] = await Promise.all([simulate(repoRoot, baseSha.value, candidates, toWorkspace), conflictsOfMany(repoRoot, merges)]);
  if (!simulation.ok) return failed(simulation);
  if (!checks.ok) return failed(checks);

  const baseConflicts: BaseConflict[] = unmerged.flatMap(({ entry, merge }) =>
    merge.conflictedFiles.length > 0 ? [{ stage: entry.stage.id, files: merge.conflictedFiles.map(toWorkspace) }] : [],
  );
  const conflicts: StagePairConflict[] = pairs.flatMap(([a, b], i) =>
    checks.value[i].conflictedFiles.length > 0 ? [{ stages: [a, b] as [string, string], files: checks.value[i].conflictedFiles.map(toWorkspace) }] : [],
  );
  const drift: DriftEntry[] = candidates.flatMap((candidate) => {
    const files = ownershipDrift(candidate.stage, candidate.changed);
    return files.length > 0 ? [{ stage: candidate.stage.id, files }] : [];
  });
  const stateOf = new Map(withTip.map((entry, i) => [entry.stage.id, states.value[i]]));
  const rows: ForecastStage[] = tipped.value.map((entry) => {
    const state = stateOf.get(entry.stage.id) ?? 'no-branch';
    const tippedEntry = 'tip' in entry ? entry : undefined;
    return {
      id: entry.stage.id,
      name: entry.stage.name,
      branch: entry.branch,
      state,
      ref: tippedEntry ? tippedEntry.ref : null,
      uncommitted: tippedEntry && state === 'unmerged' ? tippedEntry.uncommitted : null,
    };
  });
  const { remote, fetchedAt } = team.value;
  const forecast: ConflictForecast = {
    base: shownBase,
    remote: remote ? { name: remote, ...(fetchedAt ? { fetchedAt } : {}) } : null,
    stages: rows,
    checked: { stagePairs: pairs.length, againstBase: candidates.length },
    conflicts,
    baseConflicts,
    simulation: simulation.value,
    drift,
  };
  // A forecast that finds conflicts is still the report: it says what conflicts, on stdout.
  const report = { text: renderForecast(forecast).join('\n'), data: forecastJson(forecast) };
  const conflict = forecastFailure(forecast);
  return conflict ? failed(conflict, report) : done(report.text, report.data);
}

/**
 * Each stage's copy to forecast: the local branch, else the remote's (a teammate's); with
 * `uncommitted`, a local worktree's uncommitted work as a commit on top of the branch.
 */
async function stageTips(
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
async function judgeStates(
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
async function otherBase(repoRoot: string, team: TeamView, localBase: string, baseSha: string): Promise<GitResult<{ commit: string; tree: string } | undefined>> {
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
async function unrelatedBranch(repoRoot: string, entries: readonly Tipped[], baseSha: string, base: string, failure: GitFailure): Promise<GitFailure> {
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
 * What each merge gives, in order. Batches of `merge-tree --stdin`: one git process per batch
 * instead of one per merge, and a few batches side by side so that every core works.
 */
async function conflictsOfMany(repoRoot: string, merges: ReadonlyArray<readonly [string, string]>): Promise<GitResult<MergeForecast[]>> {
  const batchCount = Math.min(CONCURRENCY - 1, Math.ceil(merges.length / MIN_BATCH));
  const size = Math.ceil(merges.length / Math.max(1, batchCount));
  const batches = Array.from({ length: batchCount }, (_, i) => merges.slice(i * size, (i + 1) * size));
  const results = await mapLimited(batches, CONCURRENCY - 1, (batch) => mergeTreeBatch(repoRoot, batch));
  if (!results.ok) return results;
  return ok(results.value.flat());
}

/**
 * Merges every candidate in turn onto the base, each onto the previous result, and stops at the
 * first conflict: what `nx run-many -t merge` would meet. Each result becomes an unreferenced
 * commit so the next merge has the right merge base.
 */
async function simulate(repoRoot: string, baseSha: string, candidates: readonly Candidate[], toWorkspace: (path: string) => string): Promise<GitResult<SimulationResult>> {
  const order = candidates.map((candidate) => candidate.stage.id);
  let current = baseSha;
  for (const [index, candidate] of candidates.entries()) {
    const step = await mergeTreeCheck(repoRoot, current, candidate.tip);
    if (!step.ok) return step;
    if (!step.value.clean) {
      return ok({ order, firstConflict: { step: index + 1, stage: candidate.stage.id, files: step.value.conflictedFiles.map(toWorkspace) } });
    }
    if (index === candidates.length - 1) break; // nothing merges onto the last result
    const commit = await simulatedMergeCommit(repoRoot, step.value.tree, [current, candidate.tip], `nx-stages conflicts forecast: merge stage ${candidate.stage.id}`);
    if (!commit.ok) return commit;
    current = commit.value;
  }
  return ok({ order, firstConflict: null });
}

/**
 * Git names paths from the repository root; the plan's `files` are relative to the workspace
 * root, which may be a sub-folder. Paths outside the workspace keep a `../` form.
 */
function workspacePaths(repoRoot: string, workspaceRoot: string): (path: string) => string {
  let prefix = '';
  try {
    prefix = relative(realpathSync(repoRoot), realpathSync(workspaceRoot)).split(sep).join('/');
  } catch {
    prefix = '';
  }
  if (prefix === '' || prefix.startsWith('..')) return (path) => path;
  return (path) => posix.relative(prefix, path);
}

/**
 * `fn` over every item, at most `limit` at a time, results in item order. Stops starting new
 * work after the first failure and returns that failure.
 */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<GitResult<R>>): Promise<GitResult<R[]>> {
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
