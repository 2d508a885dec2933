import type { Coverage } from './coverage';
import type { TestCounts } from './junit';

/** What a gate found: the four statuses of proof.json. */
export type GateStatus = 'pass' | 'fail' | 'n/a' | 'could-not-run';
export interface Verdict {
  status: GateStatus;
  /** One line for people: what was measured, or why it failed. */
  detail: string;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * The test gate: the runner must succeed, JUnit evidence must have been written during this run,
 * nothing may fail, and skipped tests fail unless allowed (a skipped test proves nothing).
 */
export function judgeTests(exitCode: number, counts: TestCounts | undefined, allowSkipped: boolean): Verdict {
  if (!counts) {
    return {
      status: 'fail',
      detail: exitCode === 0
        ? 'tests ran but not measured: no JUnit XML was written during this run (add jest-junit or your runner\'s JUnit reporter)'
        : `tests failed (exit ${exitCode}) and wrote no JUnit XML`,
    };
  }
  const summary = `${counts.passed}/${counts.total} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
  if (counts.failed > 0) return { status: 'fail', detail: summary };
  if (exitCode !== 0) return { status: 'fail', detail: `${summary}, but the test run exited with ${exitCode}` };
  if (counts.total === 0) return { status: 'fail', detail: 'the JUnit reports hold no test at all' };
  if (counts.skipped > 0 && !allowSkipped) return { status: 'fail', detail: `${summary} (skipped tests fail unless the gate sets allowSkipped: true)` };
  return { status: 'pass', detail: summary };
}

/** The coverage gate: line coverage written by this run's tests, at or above the threshold. */
export function judgeCoverage(coverage: Coverage | null, threshold: number): Verdict {
  if (coverage === null || coverage.lines === null) {
    return { status: 'fail', detail: 'not measured: no coverage-summary.json was written during this run (Jest: coverageReporters ["json-summary"])' };
  }
  const detail = `lines ${coverage.lines} % (threshold ${threshold} %)`;
  return { status: coverage.lines >= threshold ? 'pass' : 'fail', detail };
}

export const AUDIT_LEVELS = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];
export type Vulnerabilities = Record<AuditLevel, number>;

/**
 * Reads the package manager's audit: npm and pnpm (`--json`: metadata.vulnerabilities) and yarn
 * classic (an `auditSummary` line). Anything else (an error object, a registry refusing the
 * request, no output) means the audit could not run: never a pass.
 */
export function judgeAudit(exitCode: number, stdout: string, stderr: string, level: AuditLevel = 'low'): Verdict & { vulnerabilities: Vulnerabilities | null } {
  const vulnerabilities = auditCounts(stdout);
  if (!vulnerabilities) {
    const said = auditError(stdout, stderr) ?? `exit code ${exitCode}, no report`;
    return { status: 'could-not-run', detail: `audit could not run: ${said}`, vulnerabilities: null };
  }
  const counted = AUDIT_LEVELS.slice(AUDIT_LEVELS.indexOf(level));
  const found = counted.reduce((sum, name) => sum + vulnerabilities[name], 0);
  const detail = found === 0
    ? `no vulnerabilities at or above ${level}`
    : `${plural(found, 'vulnerability', 'vulnerabilities')} at or above ${level} (${counted.filter((name) => vulnerabilities[name]).map((name) => `${vulnerabilities[name]} ${name}`).join(', ')})`;
  return { status: found === 0 ? 'pass' : 'fail', detail, vulnerabilities };
}

function auditCounts(stdout: string): Vulnerabilities | undefined {
  const candidates: unknown[] = [];
  try {
    candidates.push(JSON.parse(stdout));
  } catch {
    for (const line of stdout.split('\n')) {
      try {
        const parsed = JSON.parse(line) as { type?: string; data?: unknown };
        if (parsed?.type === 'auditSummary') candidates.push(parsed.data);
      } catch {
        // not a JSON line: yarn prints progress lines too
      }
    }
  }
  for (const candidate of candidates) {
    const counts = (candidate as { metadata?: { vulnerabilities?: unknown }; vulnerabilities?: unknown } | null);
    const found = counts?.metadata?.vulnerabilities ?? counts?.vulnerabilities;
    if (found && typeof found === 'object' && AUDIT_LEVELS.every((name) => typeof (found as Record<string, unknown>)[name] === 'number')) {
      return found as Vulnerabilities;
    }
  }
  return undefined;
}

/** What the audit said when it failed: npm's JSON (message, or error code and summary), else stderr. */
function auditError(stdout: string, stderr: string): string | undefined {
  try {
    const said = JSON.parse(stdout) as { message?: string; error?: { summary?: string; code?: string } };
    const text = said?.message || [said?.error?.code, said?.error?.summary?.split('\n')[0]].filter(Boolean).join(': ');
    if (text) return text;
  } catch {
    // not JSON
  }
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line && !/^npm warn (?!audit)/i.test(line));
  return lines.find((line) => /error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|40\d|50\d/i.test(line)) ?? lines[0];
}

/** A target or command gate: its exit code is the verdict. */
export function judgeExit(exitCode: number, ran: string): Verdict {
  return exitCode === 0 ? { status: 'pass', detail: `${ran} succeeded` } : { status: 'fail', detail: `${ran} exited with ${exitCode}` };
}
