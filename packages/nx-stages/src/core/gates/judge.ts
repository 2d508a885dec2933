import type { Coverage } from './coverage';
import type { TestCounts } from './junit';
import { cap, stripAnsi, toolWords } from './tool-words';

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
export function judgeTests(exitCode: number, counts: TestCounts | undefined, allowSkipped: boolean, failing: readonly string[] = []): Verdict {
  if (!counts) {
    return {
      status: 'fail',
      detail:
        exitCode === 0
          ? "tests ran but not measured: no JUnit XML was written during this run (add jest-junit or your runner's JUnit reporter)"
          : `tests failed (exit ${exitCode}) and wrote no JUnit XML`,
    };
  }
  const summary = `${counts.passed}/${counts.total} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
  if (counts.failed > 0) return { status: 'fail', detail: `${summary}${failingNames(failing)}` };
  if (exitCode !== 0) return { status: 'fail', detail: `${summary}, but the test run exited with ${exitCode}` };
  if (counts.total === 0) return { status: 'fail', detail: 'the JUnit reports hold no test at all' };
  if (counts.skipped > 0 && !allowSkipped) return { status: 'fail', detail: `${summary} (skipped tests fail unless the gate sets allowSkipped: true)` };
  return { status: 'pass', detail: summary };
}

/** The failing tests a gate's detail names (the first five), so the log is read only for the why. */
export function failingNames(names: readonly string[]): string {
  if (!names.length) return '';
  return `; failing: ${names.slice(0, 5).join('; ')}${names.length > 5 ? `; and ${names.length - 5} more` : ''}`;
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
 * Reads the package manager's audit (audit-command.ts says what runs):
 * - npm, pnpm (`--json`) and Yarn 2–3 (`yarn npm audit --json`, the registry's quick-audit answer
 *   on its first line): a report whose `metadata.vulnerabilities` counts each severity;
 * - Yarn 1: the `auditSummary` line of its NDJSON;
 * - Yarn 4: one NDJSON line per advisory, `{"value":"<package>","children":{"ID":…,"Severity":…}}`,
 *   or the info line "No audit suggestions" when there is none;
 * - bun, and Yarn 4.0's `--json`: the registry's bulk answer, `{"<package>":[{"id","severity",…}]}`,
 *   `{}` when nothing is vulnerable.
 * Yarn 4 reports deprecated packages as advisories (ID "<package> (deprecation)"): not counted.
 * Anything else (an error, a registry refusing the request, no output) means the audit could not
 * run, never a pass, and the detail quotes what the tool said. `ran` is the command as people read
 * it (`yarn npm audit --json`), for that quote.
 */
export function judgeAudit(exitCode: number, stdout: string, stderr: string, level: AuditLevel = 'low', ran?: string): Verdict & { vulnerabilities: Vulnerabilities | null } {
  const vulnerabilities = auditCounts(stdout);
  const total = vulnerabilities ? AUDIT_LEVELS.reduce((sum, name) => sum + vulnerabilities[name], 0) : 0;
  // A report that counts nothing but comes with an error and a failing exit is not a clean audit.
  const refused = vulnerabilities && total === 0 && exitCode !== 0 ? reportedError(stdout, stderr) : undefined;
  if (!vulnerabilities || refused) {
    const said = refused ?? auditError(stdout, stderr);
    const who = ran ?? 'the audit';
    return {
      status: 'could-not-run',
      detail: said ? `audit could not run: ${ran ? `${ran} said: ` : ''}"${said}"` : `audit could not run: ${who} exited with ${exitCode} and printed no report`,
      vulnerabilities: null,
    };
  }
  const counted = AUDIT_LEVELS.slice(AUDIT_LEVELS.indexOf(level));
  const found = counted.reduce((sum, name) => sum + vulnerabilities[name], 0);
  const detail =
    found === 0
      ? `no vulnerabilities at or above ${level}`
      : `${plural(found, 'vulnerability', 'vulnerabilities')} at or above ${level} (${counted
          .filter((name) => vulnerabilities[name])
          .map((name) => `${vulnerabilities[name]} ${name}`)
          .join(', ')})`;
  return { status: found === 0 ? 'pass' : 'fail', detail, vulnerabilities };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const noVulnerabilities = (): Vulnerabilities => ({ info: 0, low: 0, moderate: 0, high: 0, critical: 0 });

function auditCounts(stdout: string): Vulnerabilities | undefined {
  const tally = noVulnerabilities();
  let advisoryLines = 0;
  let bulk: Vulnerabilities | undefined;
  let noSuggestions = false;
  for (const document of jsonDocuments(stdout)) {
    if (!isObject(document)) continue;
    const metadata = isObject(document.metadata) ? document.metadata : undefined;
    const data = document.type === 'auditSummary' && isObject(document.data) ? document.data : undefined;
    const counts = [metadata?.vulnerabilities, data?.vulnerabilities, document.vulnerabilities].find(isSeverityCounts);
    // A summary says it all; npm's keeps its `total` too.
    if (counts) return counts;
    if (typeof document.value === 'string' && isObject(document.children) && 'Severity' in document.children) {
      advisoryLines++;
      if (!isDeprecation(document.children.ID)) tally[severityOf(document.children.Severity)]++;
    } else if (document.type === 'info' && document.data === 'No audit suggestions') {
      noSuggestions = true;
    } else if (!bulk && isBulkAnswer(document)) {
      bulk = noVulnerabilities();
      for (const advisory of Object.values(document).flat() as Json[]) {
        if (!isDeprecation(advisory.id)) bulk[severityOf(advisory.severity)]++;
      }
    }
  }
  if (advisoryLines > 0) return tally;
  // Yarn 4.0 prints the registry's whole answer, then filters it (its --severity, the advisories
  // .yarnrc.yml ignores): "No audit suggestions" is its verdict on what is left.
  if (noSuggestions) return noVulnerabilities();
  return bulk;
}

/** The whole output as one JSON value, or else each line that is one (NDJSON); colours stripped. */
function jsonDocuments(output: string): unknown[] {
  const text = stripAnsi(output).trim();
  if (!text) return [];
  try {
    return [JSON.parse(text)];
  } catch {
    return text.split('\n').flatMap((line) => {
      if (!/^\s*[[{]/.test(line)) return [];
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
  }
}

function isSeverityCounts(value: unknown): value is Vulnerabilities {
  return isObject(value) && AUDIT_LEVELS.every((name) => typeof value[name] === 'number');
}

/** `{"<package>": [advisory, …], …}` (the npm registry's bulk advisory answer); `{}` too. */
function isBulkAnswer(document: Json): boolean {
  return Object.values(document).every(
    (advisories) => Array.isArray(advisories) && advisories.every((advisory) => isObject(advisory) && ('severity' in advisory || 'id' in advisory)),
  );
}

/** Yarn 4 turns a deprecated package into an advisory whose ID is "<package> (deprecation)". */
function isDeprecation(id: unknown): boolean {
  return typeof id === 'string' && id.endsWith('(deprecation)');
}

/**
 * The advisory databases grade info, low, moderate, high, critical; "medium" is moderate's other
 * name. An unknown grade counts as critical, so it fails at every level instead of slipping under one.
 */
function severityOf(grade: unknown): AuditLevel {
  const name = String(grade ?? '')
    .trim()
    .toLowerCase();
  if (name === 'medium') return 'moderate';
  if (name === 'none') return 'info';
  return (AUDIT_LEVELS as readonly string[]).includes(name) ? (name as AuditLevel) : 'critical';
}

/**
 * What the audit said when it failed: an error the tool reported as JSON (npm's `message` or
 * `error`, pnpm's `error`, Yarn's `{"type":"error"}` lines), else its first meaningful lines.
 */
function auditError(stdout: string, stderr: string): string | undefined {
  return reportedError(stdout, stderr) ?? toolWords(stdout, stderr);
}

function reportedError(stdout: string, stderr: string): string | undefined {
  for (const document of [...jsonDocuments(stdout), ...jsonDocuments(stderr)]) {
    if (!isObject(document)) continue;
    const firstLine = (text: unknown) =>
      typeof text === 'string'
        ? stripAnsi(text)
            .split('\n')
            .map((line) => line.trim())
            .find(Boolean)
        : undefined;
    let said: string | undefined;
    if (document.type === 'error') {
      const data = firstLine(document.data);
      said = data && (typeof document.displayName === 'string' && document.displayName ? `${document.displayName}: ${data}` : data);
    } else if (document.type === undefined) {
      const error = isObject(document.error) ? document.error : undefined;
      const explained = firstLine(document.message) ?? firstLine(error?.summary) ?? firstLine(error?.message) ?? firstLine(error?.detail);
      const code = typeof error?.code === 'string' ? error.code : undefined;
      said = code && explained && !explained.includes(code) && !firstLine(document.message) ? `${code}: ${explained}` : (explained ?? code);
    }
    if (said) return cap(said.replace(/\s+/g, ' '), 300);
  }
  return undefined;
}

/** A target or command gate: its exit code is the verdict. */
export function judgeExit(exitCode: number, ran: string): Verdict {
  return exitCode === 0 ? { status: 'pass', detail: `${ran} succeeded` } : { status: 'fail', detail: `${ran} exited with ${exitCode}` };
}
