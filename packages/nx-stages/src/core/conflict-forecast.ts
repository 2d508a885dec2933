// The `conflicts` forecast as data: which merges to try, in which order, what counts as drift,
// and how the answer reads. The git side (commands/conflicts.ts) fills the model; nothing here
// knows how a merge is computed.
import { pathMatches } from './glob-overlap';
import { parallelGroups, stagesByGroup } from './graph';
import { compareIds } from './ids';
import { PRIORITIES, type Stage } from './model';
import { renderTable } from './table';
import { proofFolder } from './conventions';
import type { Failure } from './outcome';

/**
 * Where a stage's branch stands. Only 'unmerged' branches take part in the forecast: without a
 * branch or without commits of its own there is nothing to merge, and merged work is in the base.
 */
export type BranchState = 'no-branch' | 'merged' | 'no-commits' | 'unmerged';

export interface ForecastStage {
  id: string;
  name: string;
  branch: string;
  state: BranchState;
  /** The copy forecast: the local branch, or the remote's (`origin/stage-2`, a teammate's); null without a branch. */
  ref?: string | null;
  /** Files not committed yet in its worktree that the forecast took (`--uncommitted`); null when it took the branch as committed. */
  uncommitted?: string[] | null;
}

/** The remote the branches were also read from, and when this clone last fetched it. */
export interface ForecastRemote {
  name: string;
  /** ISO time of the last fetch; undefined = never fetched here. */
  fetchedAt?: string;
}

export interface StagePairConflict {
  /** The two stage ids, in merge order. */
  stages: [string, string];
  files: string[];
}

export interface BaseConflict {
  stage: string;
  files: string[];
}

export interface SimulationResult {
  /** Stage ids in the order they were merged, one step each. */
  order: string[];
  /** The first step (1-based) that would conflict; later steps were not simulated. */
  firstConflict: { step: number; stage: string; files: string[] } | null;
}

export interface DriftEntry {
  stage: string;
  /** Files the branch changed that none of the stage's `files` patterns matches. */
  files: string[];
}

export interface ConflictForecast {
  /** What was forecast against: the base, or the remote's copy of it (`origin/main`) when that is newer. */
  base: string;
  /** null = local only (`remote: none`, or no remote). */
  remote?: ForecastRemote | null;
  /** Every stage of the plan, in merge order, with why it was or was not forecast. */
  stages: ForecastStage[];
  checked: { stagePairs: number; againstBase: number };
  conflicts: StagePairConflict[];
  baseConflicts: BaseConflict[];
  simulation: SimulationResult;
  drift: DriftEntry[];
}

/**
 * Merge order: parallel group by parallel group (A before B …), then priority (P0 first), then
 * id — the order `conflicts` simulates and the merge queue (`nx run stages:merge`) follows.
 * Stages on a dependency cycle have no group and come last (validate reports the cycle). Groups
 * are computed on the whole plan, so leaving merged stages out does not move the others.
 */
export function mergeOrder(stages: readonly (Pick<Stage, 'id' | 'dependsOn'> & Partial<Pick<Stage, 'priority'>>)[]): string[] {
  const groups = parallelGroups(stages);
  const rank = (stage: Partial<Pick<Stage, 'priority'>>) => PRIORITIES.indexOf(stage.priority ?? 'P1');
  const ordered = (members: readonly (Pick<Stage, 'id'> & Partial<Pick<Stage, 'priority'>>)[]) =>
    [...members].sort((a, b) => rank(a) - rank(b) || compareIds(a.id, b.id)).map((stage) => stage.id);
  const grouped = [...stagesByGroup(stages, groups).values()].flatMap(ordered);
  return [...grouped, ...ordered(stages.filter((stage) => !groups.has(stage.id)))];
}

/** Each pair of the given stages once, in the order given: (a, b) with a before b. */
export function stagePairs(ids: readonly string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i], ids[j]]);
  return pairs;
}

/**
 * Files a branch changed outside the stage's declared `files` (workspace-relative paths). The
 * stage's own folders are never drift: its plan folder (stage.yaml, README) and its proof folder
 * `stage-proofs/stage-<id>/`, which the proof target writes on the branch.
 */
export function ownershipDrift(stage: Pick<Stage, 'id' | 'folder' | 'files'>, changed: readonly string[]): string[] {
  const own = [stage.folder, proofFolder(stage.id)];
  const inside = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);
  return changed.filter((file) => !own.some((folder) => inside(file, folder)) && !stage.files.some((pattern) => pathMatches(file, pattern)));
}

/** Conflicts fail the forecast (CI can stop on it); drift is a warning only. */
export function forecastSucceeded(forecast: Pick<ConflictForecast, 'conflicts' | 'baseConflicts' | 'simulation'>): boolean {
  return forecast.conflicts.length === 0 && forecast.baseConflicts.length === 0 && forecast.simulation.firstConflict === null;
}

/** The `--json` shape: the model plus the verdict, so scripts need not recompute it. */
export function forecastJson(forecast: ConflictForecast): ConflictForecast & { success: boolean } {
  return { success: forecastSucceeded(forecast), ...forecast };
}

/** Conflicting merges named in the failure's one line; the report and --json name them all. */
const MERGES_SHOWN = 5;

/**
 * A forecast that finds a conflict as a failure (undefined when it passes): what a script reads,
 * and the one line beside `--json`. The report says the same to people, with the files.
 */
export function forecastFailure(forecast: ConflictForecast): Failure | undefined {
  if (forecastSucceeded(forecast)) return undefined;
  const merges = [...forecast.conflicts.map(({ stages: [a, b] }) => `${a} with ${b}`), ...forecast.baseConflicts.map(({ stage }) => `${stage} with ${forecast.base}`)];
  const shown = merges.length <= MERGES_SHOWN ? merges.join(', ') : `${merges.slice(0, MERGES_SHOWN).join(', ')} and ${merges.length - MERGES_SHOWN} more`;
  const first = forecast.simulation.firstConflict;
  const stops = first ? `in dependency order stops at step ${first.step} (stage ${first.stage})` : '';
  // Without a conflicting pair, the failure is the merge of all (forecastSucceeded).
  const message =
    merges.length > 0
      ? `${count(merges.length, 'conflicting merge')} forecast (${shown})${first ? `; merging all into ${forecast.base} ${stops}` : ''}`
      : `Merging all into ${forecast.base} ${stops}, though no single pair conflicts`;
  return {
    kind: 'failed',
    message,
    hint: 'Before merging: give the files to one stage, order the stages (dependsOn), or merge one and sync the other (nx run stage-<id>:sync).',
  };
}

const FILES_SHOWN = 5;
const ORDER_SHOWN = 12;
const STATE_TEXT: Record<Exclude<BranchState, 'unmerged'>, string> = {
  'no-branch': 'no branch yet',
  merged: 'already merged',
  'no-commits': 'no commits yet',
};

/** The forecast for a terminal: conflicts first (they fail the run), then drift, then what was skipped. */
export function renderForecast(forecast: ConflictForecast): string[] {
  const names = new Map(forecast.stages.map((stage) => [stage.id, stage]));
  const label = (id: string) => `${id} ${names.get(id)?.name ?? ''}`.trimEnd();
  const forecastable = forecast.stages.filter((stage) => stage.state === 'unmerged');
  const lines: string[] = [];

  if (forecastable.length === 0) {
    lines.push(`Nothing to forecast: no stage has an unmerged branch with commits of its own (base ${forecast.base}).`);
  } else {
    const { stagePairs: pairs, againstBase } = forecast.checked;
    lines.push(
      `Conflict forecast for ${count(forecastable.length, 'stage branch', 'stage branches')} against ${forecast.base} (computed by git merge-tree; no checkout, index or branch touched)`,
      `Checked ${count(pairs, 'pair')} of stages, ${count(againstBase, 'branch', 'branches')} against ${forecast.base}, and merging all in dependency order.`,
      '',
    );
    if (forecast.conflicts.length > 0) {
      lines.push(`✖ ${count(forecast.conflicts.length, 'pair')} of stages would conflict with each other:`);
      lines.push(
        ...indent(
          renderTable(
            ['Stage', 'Conflicts with', 'Files'],
            forecast.conflicts.map(({ stages: [a, b], files }) => [label(a), label(b), listFiles(files)]),
          ),
        ),
      );
    } else {
      lines.push('✔ No two stage branches conflict with each other.');
    }
    if (forecast.baseConflicts.length > 0) {
      lines.push(`✖ ${count(forecast.baseConflicts.length, 'stage branch', 'stage branches')} would conflict with ${forecast.base}:`);
      lines.push(
        ...indent(
          renderTable(
            ['Stage', 'Files'],
            forecast.baseConflicts.map(({ stage, files }) => [label(stage), listFiles(files)]),
          ),
        ),
      );
    } else {
      lines.push(`✔ No stage branch conflicts with ${forecast.base}.`);
    }
    lines.push(...renderSimulation(forecast, label));
  }

  lines.push(...renderDrift(forecast.drift, label));
  lines.push(...renderCopies(forecast));
  const skipped = forecast.stages.filter((stage) => stage.state !== 'unmerged');
  if (skipped.length > 0) {
    lines.push('', `Not forecast: ${skipped.map((stage) => `${stage.id} (${STATE_TEXT[stage.state as Exclude<BranchState, 'unmerged'>]})`).join(', ')}.`);
  }
  lines.push('', verdict(forecast));
  return lines;
}

function renderSimulation(forecast: ConflictForecast, label: (id: string) => string): string[] {
  const { order, firstConflict } = forecast.simulation;
  const shown = order.length <= ORDER_SHOWN ? order.join(' → ') : `${order.slice(0, ORDER_SHOWN - 1).join(' → ')} → … → ${order[order.length - 1]}`;
  const sequence = `${shown} into ${forecast.base}`;
  if (firstConflict === null) return [`✔ Merging all ${order.length} in dependency order would succeed (${sequence}).`];
  const branch = forecast.stages.find((stage) => stage.id === firstConflict.stage)?.branch;
  return [
    `✖ Merging all in dependency order (${sequence}) stops at step ${firstConflict.step} of ${order.length}:`,
    `    merging ${label(firstConflict.stage)}${branch ? ` (${branch})` : ''} would conflict in ${listFiles(firstConflict.files)}`,
  ];
}

/** Which copies were read: teammates' branches from the remote (and when it was fetched), worktrees' uncommitted work. */
function renderCopies(forecast: ConflictForecast): string[] {
  const lines: string[] = [];
  const { remote } = forecast;
  if (remote) {
    const fetched = remote.fetchedAt
      ? `fetched ${remote.fetchedAt.slice(0, 16).replace('T', ' ')} UTC; --fetch refreshes`
      : "never fetched here; --fetch reads teammates' branches";
    const remoteCopies = forecast.stages.filter((stage) => stage.ref && stage.ref !== stage.branch);
    lines.push(
      remoteCopies.length > 0
        ? `Read from ${remote.name} (${fetched}): ${remoteCopies.map((stage) => `${stage.id} (${stage.ref})`).join(', ')}; the others from this clone.`
        : `Remote ${remote.name} (${fetched}): every stage branch was read from this clone.`,
    );
  }
  const dirty = forecast.stages.filter((stage) => stage.uncommitted);
  if (dirty.length > 0) {
    lines.push(`Taken with uncommitted work (--uncommitted): ${dirty.map((stage) => `${stage.id} (${count(stage.uncommitted!.length, 'file')})`).join(', ')}.`);
  }
  return lines.length > 0 ? ['', ...lines] : [];
}

function renderDrift(drift: readonly DriftEntry[], label: (id: string) => string): string[] {
  if (drift.length === 0) return [];
  return [
    '',
    `⚠ Ownership drift in ${count(drift.length, 'stage')}: files changed outside the stage's declared \`files\` (a warning; the forecast does not fail on it):`,
    ...indent(
      renderTable(
        ['Stage', 'Files outside its files'],
        drift.map(({ stage, files }) => [label(stage), listFiles(files)]),
      ),
    ),
    "    Add them to the stage's `files` in its stage.yaml, or move the change to the stage that owns them.",
  ];
}

function verdict(forecast: ConflictForecast): string {
  const drift = forecast.drift.length > 0 ? ` Ownership drift in ${count(forecast.drift.length, 'stage')} is a warning, not a failure.` : '';
  if (forecastSucceeded(forecast)) return `✔ No conflicts forecast.${drift}`;
  const pairs = forecast.conflicts.length + forecast.baseConflicts.length;
  const step = forecast.simulation.firstConflict?.step;
  const what =
    pairs > 0
      ? `✖ ${count(pairs, 'conflicting merge')} forecast${step ? `; merging all in dependency order stops at step ${step}` : ''}.`
      : `✖ Merging all in dependency order would conflict at step ${step}, though no single pair conflicts: the clash comes from combining branches.`;
  return (
    `${what} Before merging: give the files to one stage, or order the stages (dependsOn), ` +
    `or merge one and then sync the other (nx run stage-<id>:sync) to resolve it there by hand.${drift}`
  );
}

function listFiles(files: readonly string[]): string {
  if (files.length <= FILES_SHOWN) return files.join(', ');
  return `${files.slice(0, FILES_SHOWN).join(', ')} and ${files.length - FILES_SHOWN} more (--json lists all)`;
}

function indent(lines: readonly string[]): string[] {
  return lines.map((line) => `    ${line}`);
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
