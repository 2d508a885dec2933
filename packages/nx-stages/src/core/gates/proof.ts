import { createHash } from 'node:crypto';
import type { GateTier } from '../gate-catalog';
import type { Stage } from '../model';
import type { Coverage } from './coverage';
import type { Evidence, GatesResult } from './gates-result';
import type { GateStatus, Vulnerabilities } from './judge';
import type { TestCounts } from './junit';

/** How a dependency of the stage stands when the proof is written. */
export interface DependencyState {
  id: string;
  name: string;
  /** merged: in the base branch; stacked: in this branch only; missing: neither. */
  state: 'merged' | 'stacked' | 'missing';
}

/** The proof format this release writes; `verify` checks each format by its own rules, forever. */
export const PROOF_FORMAT = 2;

/** proof.json. Its core (stage, commit, tests, coverage, gates) is public and fixed by the SPEC. */
export interface Proof {
  /** Absent in proofs of nx-stages 0.1 (format 1). */
  format?: number;
  stage: string;
  name: string;
  status: 'complete';
  /** The commit the gates measured (the proof commit is its child). */
  commit: string;
  /** Tracked content at `commit` without the proof folder: what `verify` compares the branch against. */
  contentHash: string;
  branch: string;
  base: { branch: string; mergeBase: string };
  measuredAt: string;
  tests: TestCounts | null;
  coverage: Coverage | null;
  vulnerabilities: Vulnerabilities | null;
  gates: { name: string; tier: GateTier; status: GateStatus; durationMs: number; detail: string; threshold?: number }[];
  deliverables: string[];
  value: string | null;
  dependencies: DependencyState[];
  unblocks: string[];
  reports: string[];
  evidence: Evidence[];
  /**
   * Every other file of the proof folder when it was committed (path → sha256): the page, the
   * gate summaries, the evidence. A file added, removed or edited afterwards no longer matches.
   */
  files?: Record<string, string>;
  /** sha256 of everything above, in canonical form: an edited number no longer matches. */
  digest: string;
}

export type ProofBody = Omit<Proof, 'digest'>;

/** The proof of a gates result: every number comes from the result, none from the user. */
export function buildProof(
  result: GatesResult,
  stage: Stage,
  context: { branch: string; dependencies: DependencyState[]; unblocks: string[]; proofGate: { status: GateStatus; detail: string }; files?: Record<string, string> },
): Proof {
  const body: ProofBody = {
    format: PROOF_FORMAT,
    stage: stage.id,
    name: stage.name,
    status: 'complete',
    commit: result.commit,
    contentHash: result.contentHash,
    branch: context.branch,
    base: result.base,
    measuredAt: result.finishedAt,
    tests: result.tests,
    coverage: result.coverage,
    vulnerabilities: result.vulnerabilities,
    gates: result.gates.map((gate) => ({
      name: gate.name,
      tier: gate.tier,
      // Only `pending` (the proof gate itself) and `not-run` are left open by the gates run.
      status: gate.status === 'pending' ? context.proofGate.status : gate.status === 'not-run' ? 'fail' : gate.status,
      durationMs: gate.durationMs,
      ...(gate.threshold === undefined ? {} : { threshold: gate.threshold }),
      detail: gate.status === 'pending' ? context.proofGate.detail : gate.status === 'not-run' ? 'not run (an earlier mandatory gate failed)' : gate.detail,
    })),
    deliverables: stage.deliverables,
    value: stage.value ?? null,
    dependencies: context.dependencies,
    unblocks: context.unblocks,
    reports: result.gates.flatMap((gate) => (gate.report ? [gate.report] : [])),
    evidence: result.evidence,
    ...(context.files ? { files: context.files } : {}),
  };
  return { ...body, digest: proofDigest(body) };
}

export function proofDigest(body: ProofBody): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** JSON with object keys sorted at every level, so the digest does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
