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
import { branchExists, resolveCommit } from '../git/branch';
import { changedFiles, mergeBase, mergeTreeBatch, mergeTreeCheck, simulatedMergeCommit } from '../git/merge-tree';
import { openRepository } from '../git/repository';
import { fail, ok, type GitFailure, type GitResult } from '../git/result';
import { done, failed, type Outcome } from '../core/outcome';
import { stageMerged } from '../git/stage-merged';
import { resolveBase } from './resolve-base';

export interface ConflictsOptions {
  base?: string;
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

/**
 * `conflicts`: before anyone merges, every pair of unmerged stage branches and each branch
 * against the base are merged in memory (`git merge-tree`), and so is the whole set in dependency
 * order, chained on unreferenced commits. No checkout, index or ref is touched, so it is safe to
 * run at any time, next to anything. Fails (kind `failed`, the forecast as its report) when a
 * conflict is forecast; drift only warns.
 */
export async function conflictsCommand(root: string, plan: Plan, options: ConflictsOptions = {}): Promise<Outcome<ConflictsData>> {
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings, options.base);
  if (!base.ok) return failed(base);
  const baseSha = await resolveCommit(repoRoot, base.value);
  if (!baseSha.ok) return failed(baseSha);
  const toWorkspace = workspacePaths(repoRoot, root);

  const order = mergeOrder(plan.stages);
  const byId = new Map(plan.stages.map((stage) => [stage.id, stage]));
  const ordered = order.map((id) => byId.get(id)!);
  const states = await mapLimited(ordered, CONCURRENCY, (stage) => inspectStage(repoRoot, plan, stage, base.value, baseSha.value, toWorkspace));
  if (!states.ok) return failed(states);
  const candidates = states.value.flatMap((state) => (state.candidate ? [state.candidate] : []));

  const pairs = stagePairs(candidates.map((candidate) => candidate.stage.id));
  const tips = new Map(candidates.map((candidate) => [candidate.stage.id, candidate.tip]));
  // Each branch against the base, then each pair of branches: one pool of independent merges.
  const merges: Array<[string, string]> = [
    ...candidates.map((candidate): [string, string] => [baseSha.value, candidate.tip]),
    ...pairs.map(([a, b]): [string, string] => [tips.get(a)!, tips.get(b)!]),
  ];
  // The simulation is one chain of dependent steps: it runs beside the pool, which keeps the
  // other slots, so at most CONCURRENCY git processes run at once.
  const [simulation, checks] = await Promise.all([simulate(repoRoot, baseSha.value, candidates, toWorkspace), conflictsOfMany(repoRoot, merges, toWorkspace)]);
  if (!simulation.ok) return failed(simulation);
  if (!checks.ok) return failed(checks);

  const baseConflicts: BaseConflict[] = candidates.flatMap((candidate, i) => (checks.value[i].length > 0 ? [{ stage: candidate.stage.id, files: checks.value[i] }] : []));
  const pairFiles = checks.value.slice(candidates.length);
  const conflicts: StagePairConflict[] = pairs.flatMap(([a, b], i) => (pairFiles[i].length > 0 ? [{ stages: [a, b] as [string, string], files: pairFiles[i] }] : []));
  const drift: DriftEntry[] = candidates.flatMap((candidate) => {
    const files = ownershipDrift(candidate.stage, candidate.changed);
    return files.length > 0 ? [{ stage: candidate.stage.id, files }] : [];
  });
  const forecast: ConflictForecast = {
    base: base.value,
    stages: states.value.map((state) => state.row),
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

/** Where a stage's branch stands; for a branch with work to merge, its tip and the files it changed. */
async function inspectStage(
  repoRoot: string,
  plan: Plan,
  stage: Stage,
  base: string,
  baseSha: string,
  toWorkspace: (path: string) => string,
): Promise<GitResult<{ row: ForecastStage; candidate?: Candidate }>> {
  const branch = stageBranch(plan.settings, stage.id);
  const row = (state: BranchState): ForecastStage => ({ id: stage.id, name: stage.name, branch, state });
  const exists = await branchExists(repoRoot, branch);
  if (!exists.ok) return exists;
  if (!exists.value) return ok({ row: row('no-branch') });
  const tip = await resolveCommit(repoRoot, `refs/heads/${branch}`);
  if (!tip.ok) return tip;
  // Before anything merges it: a branch without common history cannot be merged or forecast.
  const forkPoint = await mergeBase(repoRoot, baseSha, tip.value);
  if (!forkPoint.ok) return forkPoint;
  if (forkPoint.value === undefined) {
    return fail(
      `Branch ${branch} of stage ${stage.id} shares no history with ${base}, so it cannot be merged`,
      `Recreate it from ${base} (nx g nx-stages:worktree ${stage.id}) and move the work over.`,
      { kind: 'refused' },
    );
  }
  const merged = await stageMerged(repoRoot, { id: stage.id, branch }, baseSha);
  if (!merged.ok) return merged;
  if (merged.value) return ok({ row: row('merged') });
  // Its tip is in the base's history: nothing of its own to merge yet.
  if (forkPoint.value === tip.value) return ok({ row: row('no-commits') });
  const changed = await changedFiles(repoRoot, forkPoint.value, tip.value);
  if (!changed.ok) return changed;
  return ok({ row: row('unmerged'), candidate: { stage, tip: tip.value, changed: changed.value.map(toWorkspace) } });
}

/**
 * Conflicted files (workspace-relative) of each merge, in order; empty when clean. Batches of
 * `merge-tree --stdin`: one git process per batch instead of one per merge, and a few batches
 * side by side so that every core works.
 */
async function conflictsOfMany(repoRoot: string, merges: ReadonlyArray<readonly [string, string]>, toWorkspace: (path: string) => string): Promise<GitResult<string[][]>> {
  const batchCount = Math.min(CONCURRENCY - 1, Math.ceil(merges.length / MIN_BATCH));
  const size = Math.ceil(merges.length / Math.max(1, batchCount));
  const batches = Array.from({ length: batchCount }, (_, i) => merges.slice(i * size, (i + 1) * size));
  const results = await mapLimited(batches, CONCURRENCY - 1, (batch) => mergeTreeBatch(repoRoot, batch));
  if (!results.ok) return results;
  return ok(results.value.flat().map((forecast) => forecast.conflictedFiles.map(toWorkspace)));
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
