import { judgeAudit, judgeCoverage, judgeTests } from './judge';

const counts = (passed: number, failed = 0, skipped = 0) => ({ total: passed + failed + skipped, passed, failed, skipped });

describe('judgeTests', () => {
  it('passes when every test passed', () => {
    expect(judgeTests(0, counts(3), false)).toEqual({ status: 'pass', detail: '3/3 passed, 0 failed, 0 skipped' });
  });
  it('fails on a failed test, a skipped test, an empty report or a failing exit', () => {
    expect(judgeTests(1, counts(2, 1), false).status).toBe('fail');
    expect(judgeTests(0, counts(2, 0, 1), false)).toMatchObject({ status: 'fail', detail: expect.stringContaining('allowSkipped') });
    expect(judgeTests(0, counts(0), false).status).toBe('fail');
    expect(judgeTests(1, counts(3), false).detail).toContain('exited with 1');
  });
  it('names the failing tests in the detail, the first five', () => {
    expect(judgeTests(1, counts(2, 1), false, ['math › adds'])).toEqual({ status: 'fail', detail: '2/3 passed, 1 failed, 0 skipped; failing: math › adds' });
    const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(judgeTests(1, counts(0, 7), false, many).detail).toBe('0/7 passed, 7 failed, 0 skipped; failing: a; b; c; d; e; and 2 more');
  });
  it('lets skipped tests pass when allowed', () => {
    expect(judgeTests(0, counts(2, 0, 1), true).status).toBe('pass');
  });
  it('fails as "not measured" when no JUnit report was written', () => {
    expect(judgeTests(0, undefined, false)).toMatchObject({ status: 'fail', detail: expect.stringContaining('not measured') });
  });
});

describe('judgeCoverage', () => {
  const coverage = (lines: number | null) => ({ lines, branches: 50, functions: 50, statements: 50 });
  it('compares line coverage with the threshold', () => {
    expect(judgeCoverage(coverage(90), 90).status).toBe('pass');
    expect(judgeCoverage(coverage(89.99), 90)).toEqual({ status: 'fail', detail: 'lines 89.99 % (threshold 90 %)' });
  });
  it('fails as "not measured" without a summary', () => {
    expect(judgeCoverage(null, 90)).toMatchObject({ status: 'fail', detail: expect.stringContaining('not measured') });
    expect(judgeCoverage(coverage(null), 90).status).toBe('fail');
  });
});

describe('judgeAudit', () => {
  const npm = (vulnerabilities: Record<string, number>) => JSON.stringify({ auditReportVersion: 2, metadata: { vulnerabilities } });
  const none = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 };
  it('passes with no vulnerabilities', () => {
    expect(judgeAudit(0, npm(none), '').status).toBe('pass');
  });
  it('fails on vulnerabilities at or above the level', () => {
    expect(judgeAudit(1, npm({ ...none, high: 2 }), '')).toMatchObject({ status: 'fail', detail: '2 vulnerabilities at or above low (2 high)' });
    expect(judgeAudit(1, npm({ ...none, low: 1 }), '', 'high').status).toBe('pass');
  });
  it('reads yarn classic summary lines', () => {
    const yarn = `${JSON.stringify({ type: 'auditAdvisory', data: {} })}\n${JSON.stringify({ type: 'auditSummary', data: { vulnerabilities: { ...none, moderate: 1 } } })}\n`;
    expect(judgeAudit(4, yarn, '').status).toBe('fail');
  });
  it('says "could not run" when the advisory service refuses, never pass', () => {
    const refused = JSON.stringify({ error: { code: 'E405', summary: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk' } });
    expect(judgeAudit(1, refused, '')).toMatchObject({ status: 'could-not-run', detail: expect.stringContaining('E405'), vulnerabilities: null });
    expect(judgeAudit(1, '', 'npm error network request failed\n').detail).toContain('network request failed');
    // What npm 11 prints here: the registry's answer as JSON, with an empty error block.
    const npm11 = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    expect(judgeAudit(1, npm11, 'npm warn Unknown user config\nnpm error audit endpoint returned an error\n').detail).toBe(
      'audit could not run: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"',
    );
    expect(judgeAudit(1, npm11, '', 'low', 'npm audit --json').detail).toBe(
      'audit could not run: npm audit --json said: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"',
    );
  });
});
