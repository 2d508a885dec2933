import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeAudit } from './judge';

// Real outputs captured on this machine (the registry answers 405), and reports built from the
// tools' source where no run here can produce one: fixtures/audit/README.md says which is which.
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'audit', name), 'utf8');
const none = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };

describe('judgeAudit: what each package manager prints when the advisory service refuses (captured)', () => {
  it.each([
    [
      'npm 11',
      'npm audit --json',
      'npm-11.19.1-405.stdout.txt',
      'npm-11.19.1-405.stderr.txt',
      'npm audit --json said: "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"',
    ],
    [
      'pnpm 10',
      'pnpm audit --json',
      'pnpm-10.34.9-405.stdout.txt',
      undefined,
      'pnpm audit --json said: "ERR_PNPM_AUDIT_BAD_RESPONSE: The audit endpoint (at https://registry.npmjs.org/-/npm/v1/security/audits/quick) responded with 405: . Fallback endpoint (at https://registry.npmjs.org/-/npm/v1/security/audits) responded with 405:"',
    ],
    [
      'pnpm 12',
      'pnpm audit --json',
      undefined,
      'pnpm-12.21.0-405.stderr.txt',
      'pnpm audit --json said: "Error: ERR_PNPM_AUDIT_BAD_RESPONSE; The audit endpoint (at https://registry.npmjs.org/-/npm/v1/security/advisories/bulk) responded with 405:"',
    ],
    [
      'pnpm 12 in colour',
      'pnpm audit --json',
      undefined,
      'pnpm-12.21.0-color.stderr.txt',
      'pnpm audit --json said: "Error: ERR_PNPM_BAD_CONFIG_DEP; resolve package manager dependencies; Failed to resolve config dependency @pnpm/exe.netbsd-x64@12.21.0: GET https://registry.npmjs.org/@pnpm%2Fexe.netbsd-x64: Not Found - 404"',
    ],
    [
      'Yarn 1',
      'yarn audit --json',
      'yarn-1.22.22-405.stdout.txt',
      'yarn-1.22.22-405.stderr.txt',
      'yarn audit --json said: "Error: https://registry.yarnpkg.com/-/npm/v1/security/audits: Request "https://registry.yarnpkg.com/-/npm/v1/security/audits" returned a 405"',
    ],
    [
      'Yarn 3',
      'yarn npm audit --all --recursive --json',
      'yarn-3.8.7-405.stdout.txt',
      undefined,
      'yarn npm audit --all --recursive --json said: "YN0035: The remote server failed to provide the requested resource; Response Code: 405 (Method Not Allowed); Request Method: POST; Request URL: https://registry.npmjs.org/-/npm/v1/security/audits/quick"',
    ],
    [
      'Yarn 4',
      'yarn npm audit --json',
      'yarn-4.18.1-405.stdout.txt',
      undefined,
      'yarn npm audit --json said: "YN0035: The remote server failed to provide the requested resource; Response Code: 405 (Method Not Allowed); Request Method: POST; Request URL: https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"',
    ],
    [
      'Yarn 4 in colour, with hyperlinks',
      'yarn npm audit --json',
      'yarn-4.18.1-color.stdout.txt',
      undefined,
      'yarn npm audit --json said: "YN0035: The remote server failed to provide the requested resource; Response Code: 405 (Method Not Allowed); Request Method: POST; Request URL: https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"',
    ],
    ['bun (built from its source)', 'bun audit --json', undefined, 'bun-405.stderr.txt', 'bun audit --json said: "error: audit request failed (status 405)"'],
  ])('%s', (_tool, ran, stdout, stderr, said) => {
    const verdict = judgeAudit(1, stdout ? fixture(stdout) : '', stderr ? fixture(stderr) : '', 'low', ran);
    expect(verdict).toEqual({ status: 'could-not-run', detail: `audit could not run: ${said}`, vulnerabilities: null });
  });
});

describe("judgeAudit: reports with vulnerabilities (built from the tools' source)", () => {
  it('counts Yarn 4 advisory lines by severity and leaves deprecations out', () => {
    expect(judgeAudit(1, fixture('yarn-4-report.stdout.txt'), '')).toEqual({
      status: 'fail',
      detail: '2 vulnerabilities at or above low (1 moderate, 1 high)',
      vulnerabilities: { ...none, moderate: 1, high: 1 },
    });
    expect(judgeAudit(1, fixture('yarn-4-report.stdout.txt'), '', 'critical')).toMatchObject({ status: 'pass', detail: 'no vulnerabilities at or above critical' });
  });

  it('passes Yarn 4 when only deprecated packages were reported, or "No audit suggestions"', () => {
    expect(judgeAudit(1, fixture('yarn-4-deprecations-only.stdout.txt'), '')).toEqual({ status: 'pass', detail: 'no vulnerabilities at or above low', vulnerabilities: none });
    expect(judgeAudit(0, fixture('yarn-4-clean.stdout.txt'), '')).toEqual({ status: 'pass', detail: 'no vulnerabilities at or above low', vulnerabilities: none });
  });

  it('reads Yarn 4.0\'s raw bulk answer, and trusts its "No audit suggestions" after its own filters', () => {
    expect(judgeAudit(1, fixture('yarn-4.0-report.stdout.txt'), '')).toMatchObject({ status: 'fail', vulnerabilities: { ...none, high: 1 } });
    expect(judgeAudit(0, fixture('yarn-4.0-ignored.stdout.txt'), '')).toMatchObject({ status: 'pass', vulnerabilities: none });
  });

  it("reads Yarn 3's quick-audit report line", () => {
    expect(judgeAudit(1, fixture('yarn-3-report.stdout.txt'), '')).toMatchObject({ status: 'fail', detail: '1 vulnerability at or above low (1 high)' });
  });

  it("reads bun's bulk answer; {} is a clean audit", () => {
    expect(judgeAudit(1, fixture('bun-report.stdout.txt'), '')).toEqual({
      status: 'fail',
      detail: '3 vulnerabilities at or above low (1 moderate, 1 high, 1 critical)',
      vulnerabilities: { ...none, moderate: 1, high: 1, critical: 1 },
    });
    expect(judgeAudit(1, fixture('bun-report.stdout.txt'), '', 'critical').detail).toBe('1 vulnerability at or above critical (1 critical)');
    expect(judgeAudit(0, fixture('bun-clean.stdout.txt'), '')).toMatchObject({ status: 'pass', vulnerabilities: none });
  });

  it('maps other names of a severity, and counts an unknown one as critical rather than dropping it', () => {
    const line = (severity: string) => JSON.stringify({ value: 'x', children: { ID: 1, Issue: 'i', Severity: severity } });
    expect(judgeAudit(1, [line('MEDIUM'), line('High'), line('none'), line('severe')].join('\n'), '').vulnerabilities).toEqual({
      info: 1,
      low: 0,
      moderate: 1,
      high: 1,
      critical: 1,
    });
  });
});

describe('judgeAudit: never a pass without a report', () => {
  it('says so when the tool printed nothing', () => {
    expect(judgeAudit(1, '', '', 'low', 'bun audit --json').detail).toBe('audit could not run: bun audit --json exited with 1 and printed no report');
    expect(judgeAudit(0, '', '').detail).toBe('audit could not run: the audit exited with 0 and printed no report');
  });

  it('refuses an empty count that came with an error and a failing exit', () => {
    const partial = `${JSON.stringify({ type: 'auditSummary', data: { vulnerabilities: none } })}\n`;
    const error = `${JSON.stringify({ type: 'error', data: 'Error: socket hang up' })}\n`;
    expect(judgeAudit(1, partial, error, 'low', 'yarn audit --json')).toMatchObject({
      status: 'could-not-run',
      detail: 'audit could not run: yarn audit --json said: "Error: socket hang up"',
    });
    expect(judgeAudit(0, partial, '').status).toBe('pass');
  });

  it('quotes a berry JSON error line with its code', () => {
    const berry = JSON.stringify({ type: 'error', name: 35, displayName: 'YN0035', indent: '', data: 'The remote server failed to provide the requested resource' });
    expect(judgeAudit(1, berry, '').detail).toBe('audit could not run: "YN0035: The remote server failed to provide the requested resource"');
  });

  it('quotes Yarn refusing a command it does not have (captured)', () => {
    expect(judgeAudit(1, fixture('yarn-4.18.1-yarn-audit.stdout.txt'), '', 'low', 'yarn audit --json').detail).toBe(
      'audit could not run: yarn audit --json said: "Usage Error: Couldn\'t find a script named "audit".; $ yarn run [--inspect] [--inspect-brk] [-T,--top-level] [-B,--binaries-only] [--require #0] <scriptName> ..."',
    );
    expect(judgeAudit(1, fixture('yarn-3.8.7-no-deprecations.stdout.txt'), '', 'low', 'yarn npm audit --no-deprecations').detail).toBe(
      'audit could not run: yarn npm audit --no-deprecations said: "Unknown Syntax Error: Unsupported option name ("--no-deprecations").; $ yarn npm audit [-A,--all] [-R,--recursive] [--environment #0] [--json] [--severity #0] [--exclude #0] [--ignore #0]"',
    );
  });

  it('caps a long message at 300 characters', () => {
    const detail = judgeAudit(1, '', `npm error ${'x'.repeat(1000)}\n`, 'low', 'npm audit --json').detail;
    expect(detail.length).toBeLessThan(360);
    expect(detail).toMatch(/…"$/);
  });
});
