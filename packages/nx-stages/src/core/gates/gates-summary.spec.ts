import type { GateOutcome, GatesResult } from './gates-result';
import { renderGatesSummary } from './gates-summary';

const gate = (name: string, status: GateOutcome['status'], tier: GateOutcome['tier'] = 'mandatory'): GateOutcome => ({
  name,
  tier,
  status,
  durationMs: 10,
  detail: '',
  command: '',
  report: null,
});

function result(gates: GateOutcome[], overrides: Partial<GatesResult> = {}): GatesResult {
  return {
    version: 2,
    stage: '1',
    commit: 'abc1234def567890abc1234def567890abc12345',
    contentHash: 'content',
    clean: true,
    uncommitted: [],
    base: { branch: 'main', mergeBase: 'def5678' },
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:00:12.400Z',
    tests: { total: 4, passed: 3, failed: 1, skipped: 0 },
    coverage: { lines: 91.5, branches: 80, functions: 90, statements: 91 },
    vulnerabilities: null,
    evidence: [],
    gates,
    reuseKey: 'key',
    parallel: 2,
    ...overrides,
  };
}

describe('the summary after gates', () => {
  it('a failing test: names it under "mandatory failed", never the gates fast-fail did not run', () => {
    const failing = result([gate('templates', 'pass'), gate('test', 'fail'), gate('coverage', 'not-run'), gate('audit', 'not-run', 'recommended'), gate('proof', 'not-run')]);
    const summary = renderGatesSummary(failing, { logs: '.git/nx-stages/gates/stage-1/logs' });
    expect(summary.split('\n')[0]).toMatch(/\(mandatory failed: test\)$/);
    expect(summary).toMatchSnapshot();
  });

  it('all passed: no "mandatory failed"; the proof gate is pending, an n/a gate blocks nothing', () => {
    const passing = result([gate('test', 'pass'), gate('lint', 'n/a'), gate('audit', 'could-not-run', 'recommended'), gate('proof', 'pending')], {
      tests: { total: 3, passed: 3, failed: 0, skipped: 0 },
    });
    expect(renderGatesSummary(passing, { logs: '.git/nx-stages/gates/stage-1/logs' })).toMatchSnapshot();
  });

  it('a reused result says when it ran; uncommitted changes are called out', () => {
    const dirty = result([gate('test', 'pass')], { clean: false, uncommitted: ['wip.txt'], tests: null, coverage: null });
    expect(renderGatesSummary(dirty, undefined, true)).toMatchSnapshot();
  });
});
