import { DEFAULT_GATES, GATE_TIERS, type GateTier } from '../gate-catalog';
import type { GateSettings, PlanSettings, Stage } from '../model';
import { own } from '../own';
import { AUDIT_LEVELS, type AuditLevel } from './judge';

/** How a gate is measured. */
export type GateRunner =
  /** `nx affected -t <target>` in the stage's checkout. */
  | { kind: 'affected'; target: string }
  /** A command from `stages.yaml` (`run:`), `{base}` replaced by the merge-base commit. */
  | { kind: 'command'; run: string }
  /** Built into nx-stages: no scaffold leftovers in the stage's changes. */
  | { kind: 'templates' }
  /** Reads the coverage summaries the test gate wrote in this run. */
  | { kind: 'coverage' }
  /** The package manager's vulnerability audit. */
  | { kind: 'audit' }
  /** The hand-written review of the proof; checked when the proof is written. */
  | { kind: 'proof' };

export interface GateSpec {
  name: string;
  tier: GateTier;
  runner: GateRunner;
  /** Percent a measured number must reach (coverage: lines; default 90). */
  threshold?: number;
  /** This gate's run produces test and coverage evidence (JUnit XML, coverage summaries). */
  collectsEvidence: boolean;
  /** Globs of the evidence files, relative to the checkout. */
  reports: { junit: string; coverage: string };
  /** Skipped tests do not fail the test gate. */
  allowSkipped: boolean;
  /** Lowest audit severity that fails the audit gate (default low). */
  level: AuditLevel;
}

export const DEFAULT_REPORT_GLOBS = { junit: '**/junit*.xml', coverage: '**/coverage-summary.json' };
const DEFAULT_THRESHOLDS: Record<string, number> = { coverage: 90, mutation: 80 };
const BUILT_IN: Record<string, GateRunner> = {
  templates: { kind: 'templates' },
  coverage: { kind: 'coverage' },
  audit: { kind: 'audit' },
  proof: { kind: 'proof' },
};

/**
 * The gates a stage runs, in fast-fail order: mandatory, then recommended, then optional, each
 * tier in the order of the profile. The profile must exist (validate checks it; this throws
 * with the file to fix because a caller reaching here without validating is a bug).
 */
export function planGates(settings: PlanSettings, stage: Stage): GateSpec[] {
  // Own names only: a profile or gate called "constructor" is not Object.prototype's.
  const names = own(settings.profiles, stage.profile);
  if (!names) throw new Error(`${stage.file}: profile "${stage.profile}" is not defined in ${settings.file}`);
  const specs = names.map((name) => gateSpec(name, own(settings.gates, name) ?? {}));
  return GATE_TIERS.flatMap((tier) => specs.filter((spec) => spec.tier === tier));
}

function gateSpec(name: string, settings: GateSettings): GateSpec {
  const target = typeof settings.target === 'string' && settings.target ? settings.target : name;
  const runner: GateRunner = settings.run ? { kind: 'command', run: settings.run } : (own(BUILT_IN, name) ?? { kind: 'affected', target });
  const threshold = settings.threshold ?? own(DEFAULT_THRESHOLDS, name);
  return {
    name,
    tier: settings.tier ?? own(DEFAULT_GATES, name)?.tier ?? 'optional',
    runner,
    ...(threshold === undefined ? {} : { threshold }),
    collectsEvidence: name === 'test' || settings.reports !== undefined,
    reports: { ...DEFAULT_REPORT_GLOBS, ...settings.reports },
    allowSkipped: settings.allowSkipped === true,
    level: AUDIT_LEVELS.includes(settings.level as AuditLevel) ? (settings.level as AuditLevel) : 'low',
  };
}

/** The shell line a gate runs, for reports and messages. */
export function describeRunner(runner: GateRunner, base: string): string {
  switch (runner.kind) {
    case 'affected':
      return `nx affected -t ${runner.target} --base=${base}`;
    case 'command':
      return runner.run.replaceAll('{base}', base);
    case 'templates':
      return 'nx-stages: scaffold leftovers in the files the stage changed';
    case 'coverage':
      return 'nx-stages: coverage summaries written by this run';
    case 'audit':
      return 'package manager audit';
    case 'proof':
      return 'nx-stages: placeholders in the proof review';
  }
}
