import type { GateSettings } from './model';

export type GateTier = 'mandatory' | 'recommended' | 'optional';
export const GATE_TIERS: readonly GateTier[] = ['mandatory', 'recommended', 'optional'];

/** The gates every plan knows without configuring them, with their default tier (the method's Tier 1 and 2). */
export const DEFAULT_GATES: Readonly<Record<string, { tier: GateTier; description: string }>> = {
  templates: { tier: 'mandatory', description: 'no leftover scaffold files' },
  lint: { tier: 'mandatory', description: 'lint the affected projects' },
  build: { tier: 'mandatory', description: 'clean build of the affected projects' },
  typecheck: { tier: 'mandatory', description: 'type safety of the affected projects' },
  test: { tier: 'mandatory', description: 'all tests pass, none skipped' },
  coverage: { tier: 'mandatory', description: 'line coverage at or above the threshold (default 90 %)' },
  audit: { tier: 'mandatory', description: 'no known dependency vulnerabilities' },
  proof: { tier: 'mandatory', description: 'no placeholder left in the hand-written part of the proof' },
  mutation: { tier: 'recommended', description: 'mutation score at or above the threshold (default 80 %)' },
  docs: { tier: 'recommended', description: 'documentation builds' },
};

export const DEFAULT_PROFILE = ['templates', 'lint', 'build', 'typecheck', 'test', 'coverage', 'audit', 'proof'];

/** Gate names a plan can use in profiles: the defaults plus the custom gates it defines. */
export function knownGateNames(gates: Record<string, GateSettings>): Set<string> {
  return new Set([...Object.keys(DEFAULT_GATES), ...Object.keys(gates)]);
}
