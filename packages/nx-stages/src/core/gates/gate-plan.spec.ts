import { planOf, stage } from '../test-support/plan-data';
import { planGates } from './gate-plan';

describe('planGates', () => {
  it('runs the default profile mandatory first, in the profile order', () => {
    const plan = planOf([stage('1')]);
    expect(planGates(plan.settings, plan.stages[0]).map((gate) => gate.name)).toEqual(['templates', 'lint', 'build', 'typecheck', 'test', 'coverage', 'audit', 'proof']);
  });

  it('applies tier, threshold, target and reports from stages.yaml, and moves a demoted gate after the mandatory ones', () => {
    const plan = planOf([stage('1')], {
      gates: { audit: { tier: 'recommended' }, coverage: { threshold: 85 }, typecheck: { target: 'tsc' }, test: { reports: { junit: 'reports/*.xml' } } },
    });
    const gates = planGates(plan.settings, plan.stages[0]);
    expect(gates.map((gate) => gate.name)).toEqual(['templates', 'lint', 'build', 'typecheck', 'test', 'coverage', 'proof', 'audit']);
    expect(gates.find((gate) => gate.name === 'coverage')?.threshold).toBe(85);
    expect(gates.find((gate) => gate.name === 'typecheck')?.runner).toEqual({ kind: 'affected', target: 'tsc' });
    expect(gates.find((gate) => gate.name === 'test')?.reports).toEqual({ junit: 'reports/*.xml', coverage: '**/coverage-summary.json' });
  });

  it('runs custom gates as commands, optional unless told otherwise', () => {
    const plan = planOf([stage('1', { profile: 'quick' })], {
      gates: { e2e: { run: 'nx affected -t e2e --base={base}' }, smoke: { run: 'node smoke.js', tier: 'mandatory' } },
      profiles: { quick: ['e2e', 'test', 'smoke'] },
    });
    const gates = planGates(plan.settings, plan.stages[0]);
    expect(gates.map((gate) => [gate.name, gate.tier, gate.runner.kind])).toEqual([
      ['test', 'mandatory', 'affected'],
      ['smoke', 'mandatory', 'command'],
      ['e2e', 'optional', 'command'],
    ]);
    expect(gates[0].collectsEvidence).toBe(true);
    expect(gates[1].collectsEvidence).toBe(false);
  });

  it('throws naming the files when the profile does not exist (validate reports it first)', () => {
    const plan = planOf([stage('1', { profile: 'nope' })]);
    expect(() => planGates(plan.settings, plan.stages[0])).toThrow('stages/1/stage.yaml: profile "nope" is not defined in stages/stages.yaml');
  });
});
