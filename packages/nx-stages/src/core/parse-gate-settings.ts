import { DEFAULT_PROFILE, GATE_TIERS, knownGateNames, type GateTier } from './gate-catalog';
import { AUDIT_LEVELS, type AuditLevel } from './gates/judge';
import type { GateSettings } from './model';
import { plainRecord } from './own';
import { nearest } from './suggest';
import type { Field } from './yaml-fields';

/** Every option a gate understands (core/gates/gate-plan.ts reads them): anything else is a typo, refused. */
export const GATE_OPTIONS = ['run', 'tier', 'threshold', 'reports', 'target', 'allowSkipped', 'level'] as const;

export type ErrorAt = (key: string, message: string, hint?: string, line?: number) => void;

/** `gates:` of stages.yaml, or undefined after reporting its first error at the line of the option. */
export function readGates(field: Field, error: ErrorAt): Record<string, GateSettings> | undefined {
  if (!isRecord(field.value)) return (error('gates', '"gates" must map gate names to settings', 'e.g. gates: { coverage: { threshold: 85 } }'), undefined);
  const gates = plainRecord<GateSettings>();
  for (const [name, gate] of Object.entries(field.value)) {
    const at = (...option: string[]) => field.keyLine([name, ...option]);
    if (!isRecord(gate)) return (error('gates', `gate "${name}" must be a mapping of settings`, undefined, at()), undefined);
    const unknown = Object.keys(gate).find((option) => !(GATE_OPTIONS as readonly string[]).includes(option));
    if (unknown !== undefined) {
      const guess = nearest(unknown, GATE_OPTIONS);
      return (
        error('gates', `gate "${name}" has an unknown option "${unknown}"`, guess ? `did you mean "${guess}"?` : `known options: ${GATE_OPTIONS.join(', ')}`, at(unknown)),
        undefined
      );
    }
    const problem = gateOptionProblem(name, gate);
    if (problem) return (error('gates', problem.message, problem.hint, at(problem.option)), undefined);
    gates[name] = gate as GateSettings;
  }
  return gates;
}

function gateOptionProblem(name: string, gate: Record<string, unknown>): { option: string; message: string; hint: string } | undefined {
  const has = (option: string, message: string, hint: string) => ({ option, message: `gate "${name}" ${message}`, hint });
  if (gate.tier !== undefined && !GATE_TIERS.includes(gate.tier as GateTier)) return has('tier', `has tier ${JSON.stringify(gate.tier)}`, `use one of ${GATE_TIERS.join(', ')}`);
  if (gate.threshold !== undefined && !(typeof gate.threshold === 'number' && gate.threshold >= 0 && gate.threshold <= 100)) {
    return has('threshold', `has threshold ${JSON.stringify(gate.threshold)}`, 'use a percentage from 0 to 100');
  }
  if (gate.target !== undefined && (typeof gate.target !== 'string' || !/^[\w:.-]+$/.test(gate.target))) {
    return has('target', `has target ${JSON.stringify(gate.target)}`, 'name an Nx target, e.g. target: tsc');
  }
  if (gate.allowSkipped !== undefined && typeof gate.allowSkipped !== 'boolean')
    return has('allowSkipped', `has allowSkipped ${JSON.stringify(gate.allowSkipped)}`, 'use true or false');
  if (gate.level !== undefined && !AUDIT_LEVELS.includes(gate.level as AuditLevel))
    return has('level', `has level ${JSON.stringify(gate.level)}`, `use one of ${AUDIT_LEVELS.join(', ')}`);
  if (
    gate.reports !== undefined &&
    !(isRecord(gate.reports) && Object.entries(gate.reports).every(([kind, glob]) => ['junit', 'coverage'].includes(kind) && typeof glob === 'string' && glob.trim() !== ''))
  ) {
    return has('reports', 'has unusable reports', 'e.g. reports: { junit: "reports/**/*.xml", coverage: "**/coverage-summary.json" }');
  }
  if (gate.run !== undefined && (typeof gate.run !== 'string' || gate.run.trim() === '')) {
    return has('run', 'has an empty or non-text "run"', 'give the command to run, e.g. run: "nx affected -t e2e --base={base}"');
  }
  return undefined;
}

/** `profiles:` of stages.yaml (with `default` unless redefined), or undefined after reporting its first error. */
export function readProfiles(field: Field, gates: Record<string, GateSettings>, error: ErrorAt): Record<string, string[]> | undefined {
  if (!isRecord(field.value)) return (error('profiles', '"profiles" must map profile names to lists of gates'), undefined);
  const known = knownGateNames(gates);
  const profiles = defaultProfiles();
  for (const [name, list] of Object.entries(field.value)) {
    const line = field.keyLine([name]);
    if (!Array.isArray(list) || !list.every((gate) => typeof gate === 'string'))
      return (error('profiles', `profile "${name}" must be a list of gate names`, undefined, line), undefined);
    const unknown = list.find((gate) => !known.has(gate));
    if (unknown !== undefined) {
      const guess = nearest(unknown, known);
      return (
        error('profiles', `profile "${name}" uses unknown gate "${unknown}"`, guess ? `did you mean "${guess}"?` : 'define it under gates: with a run: command', line),
        undefined
      );
    }
    profiles[name] = list;
  }
  return profiles;
}

export function defaultProfiles(): Record<string, string[]> {
  const profiles = plainRecord<string[]>();
  profiles.default = [...DEFAULT_PROFILE];
  return profiles;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
