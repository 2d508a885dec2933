import type { GateTier } from '../gate-catalog';
import type { Coverage } from './coverage';
import type { EvidenceKind } from './evidence';
import type { TaskSummary } from './nx-task-run';
import type { GateStatus, Vulnerabilities } from './judge';
import type { TestCounts } from './junit';

/** `not-run`: stopped by fast-fail. `pending`: the proof gate, decided when the proof is written. */
export type OutcomeStatus = GateStatus | 'not-run' | 'pending';

export interface GateOutcome {
  name: string;
  tier: GateTier;
  status: OutcomeStatus;
  durationMs: number;
  detail: string;
  /** What ran, as a shell line, for people. */
  command: string;
  /** The percent the gate required, when it has one (coverage). */
  threshold?: number;
  /** Full output, relative to the gates store (`logs/…`); null when nothing ran. */
  report: string | null;
  /** The Nx tasks this gate's verdict was taken from: status, cache hit, task hash. */
  tasks?: TaskSummary[];
}

/** An evidence file kept in the gates store (path relative to it), with its hash so edits show. */
export interface Evidence {
  path: string;
  sha256: string;
  kind: EvidenceKind;
}

/** What one `gates` run measured, bound to the commit and content it measured. */
export interface GatesResult {
  version: 2;
  stage: string;
  /** HEAD of the stage's checkout when the gates started. */
  commit: string;
  /** Hash of the tracked content at `commit`, the stage's own proof folder left out. */
  contentHash: string;
  /** False when the checkout had uncommitted changes: then the numbers belong to no commit. */
  clean: boolean;
  uncommitted: string[];
  base: { branch: string; mergeBase: string };
  startedAt: string;
  finishedAt: string;
  tests: TestCounts | null;
  coverage: Coverage | null;
  vulnerabilities: Vulnerabilities | null;
  evidence: Evidence[];
  gates: GateOutcome[];
  /** What a later run compares to reuse this result: content, gate settings, lock files, plugin version. */
  reuseKey: string;
  /** Nx parallelism the gates' inner Nx runs had. */
  parallel: number;
}

const ACCEPTED: ReadonlySet<OutcomeStatus> = new Set(['pass', 'n/a', 'pending']);

/** Mandatory gates that did not pass (n/a passes nothing but blocks nothing either). */
export function failedMandatory(gates: readonly Pick<GateOutcome, 'name' | 'tier' | 'status'>[]): string[] {
  return gates.filter((gate) => gate.tier === 'mandatory' && !ACCEPTED.has(gate.status)).map((gate) => gate.name);
}

export const STATUS_MARK: Record<OutcomeStatus, string> = {
  pass: '✔',
  fail: '✖',
  'n/a': '–',
  'could-not-run': '!',
  'not-run': '·',
  pending: '…',
};

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The progress line printed when a gate finishes. */
export function outcomeLine(index: number, outcome: GateOutcome): string {
  const time = outcome.status === 'not-run' || outcome.status === 'pending' ? '' : ` (${formatDuration(outcome.durationMs)})`;
  return `  ${STATUS_MARK[outcome.status]} ${index + 1}. ${outcome.name} [${outcome.tier}] ${outcome.status}${time}: ${outcome.detail}`;
}
