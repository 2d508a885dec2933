import type { EvidenceText } from '../../core/gates/evidence';
import type { Evidence } from '../../core/gates/gates-result';
import type { Verdict } from '../../core/gates/judge';
import type { GatesStore } from '../../io/gates-store';
import type { TaskRuns } from './task-runs';

/** What every gate of one gates run shares. */
export interface GateContext {
  checkout: string;
  /** The merge-base commit with the base branch: `{base}` and `nx affected --base`. */
  mergeBase: string;
  env: NodeJS.ProcessEnv;
  parallel: number;
  fastFail: boolean;
  /** Measured tasks run without Nx's cache (remeasurement). */
  skipCache: boolean;
  /** Checkout-relative folder of this stage's committed proof (left out of scans). */
  proofFolder: string;
  store: GatesStore;
  nx: { bin: string } | { missing: string };
  /** The Nx runs of this gates run: the task gates together, then the test gates. */
  runs: TaskRuns;
  /** Evidence collected by earlier gates of this run (the coverage gate reads it). */
  evidence: EvidenceText[];
  kept: Evidence[];
  /** Verdicts of earlier gates of this run, by name. */
  verdicts: Map<string, Verdict>;
  /** Why coverage could not be collected, when the test gate knows (a runner without a provider). */
  coverageGap?: string;
  /** Live progress: one line per Nx task as it ends. */
  progress: (line: string) => void;
}
