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
  type ConflictForecast,
  type DriftEntry,
  type ForecastStage,
  type SimulationResult,
  type StagePairConflict,
} from '../core/conflict-forecast';
import type { Plan, Stage } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { resolveCommit } from '../git/branch';
import { changedFilesBatch, mergeTreeBatch, mergeTreeCheck, simulatedMergeCommit, treeOf, type MergeForecast } from '../git/merge-tree';
import { openRepository } from '../git/repository';
import { ok, type GitResult } from '../git/result';
import { done, failed, type Outcome } from '../core/outcome';
import { resolveBase } from './resolve-base';
import { teamView } from './team-view';
import { CONCURRENCY, judgeStates, mapLimited, otherBase, stageTips, unrelatedBranch } from './conflict-branches';

export interface ConflictsOptions {
  base?: string;
  /** Fetch the plan's remote first (never done implicitly). */
  fetch?: boolean;
  /** Forecast what local stage worktrees have not committed yet, instead of their branches' tips. */
  uncommitted?: boolean;
}

/** The `--json` document: the forecast and its verdict (scripts and CI read it). */
export type ConflictsData = ReturnType<typeof forecastJson>;

/** Fewer merges than this go in one batch: a second process would cost more than it saves. */
const MIN_BATCH = 50;

/** What the forecast knows about a stage whose branch takes part: its tip and what it changed. */
interface Candidate {
  stage: Stage;
  tip: string;
  changed: string[];
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
  const baseSha = await resolveCommit(repoRoot, countBase);
  if (!baseSha.ok) return failed(baseSha);
  // The remote's name for the base only when it is ahead: the same commit is just the base.
  const localSha = countBase === base.value ? baseSha : await resolveCommit(repoRoot, base.value);
  if (!localSha.ok) return failed(localSha);
  const shownBase = localSha.value === baseSha.value ? base.value : countBase.slice('refs/remotes/'.length);
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
  const states = await judgeStates(
    repoRoot,
    withTip,
    againstBase.map((merge) => changesNothing(merge, baseTree.value)),
    inSomeBase,
    base.value,
    team.value,
  );
  if (!states.ok) return failed(states);

  const unmerged = withTip.flatMap((entry, i) => (states.value[i] === 'unmerged' ? [{ entry, merge: againstBase[i] }] : []));
  // The simulation is one chain of dependent steps, the longest part: it starts first and runs
  // beside the files' and the pairs' batches, so at most CONCURRENCY git processes run at once.
  const simulating = simulate(
    repoRoot,
    baseSha.value,
    unmerged.map(({ entry, merge }) => ({ stage: entry.stage, tip: entry.tip, againstBase: merge })),
    toWorkspace,
  );
  const changed = await changedFilesBatch(
    repoRoot,
    unmerged.map(({ merge }) => [baseTree.value, merge.tree] as const),
  );
  if (!changed.ok) return failed(changed);
  const candidates: Candidate[] = unmerged.map(({ entry }, i) => ({ stage: entry.stage, tip: entry.tip, changed: changed.value[i].map(toWorkspace) }));

  const pairs = stagePairs(candidates.map((candidate) => candidate.stage.id));
  const tips = new Map(candidates.map((candidate) => [candidate.stage.id, candidate.tip]));
  const merges = pairs.map(([a, b]) => [tips.get(a)!, tips.get(b)!] as const);
  const [simulation, checks] = await Promise.all([simulating, conflictsOfMany(repoRoot, merges)]);
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
async function simulate(
  repoRoot: string,
  baseSha: string,
  candidates: ReadonlyArray<{ stage: Stage; tip: string; againstBase: MergeForecast }>,
  toWorkspace: (path: string) => string,
): Promise<GitResult<SimulationResult>> {
  const order = candidates.map((candidate) => candidate.stage.id);
  let current = baseSha;
  for (const [index, candidate] of candidates.entries()) {
    // The first step is the first branch against the base: already merged in the base batch.
    const step = index === 0 ? ok(candidate.againstBase) : await mergeTreeCheck(repoRoot, current, candidate.tip);
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
