import type { CoverageTotals } from './coverage';
import type { TestCounts } from './junit';
import { failingNames, type Verdict } from './judge';
import type { TestTargetKind } from './test-runner';

/** Set by the gates for the Nx run they start: where the plugin's postTasksExecution hook writes that run's task results. */
export const TASK_RESULTS_VARIABLE = 'NX_STAGES_TASK_RESULTS';
/** Set by the gates: the test targets whose runner they need to know for the next run. */
export const TEST_TARGETS_VARIABLE = 'NX_STAGES_TEST_TARGETS';

/** Nx's task statuses (TaskResult['status']). */
export type NxTaskStatus = 'success' | 'failure' | 'skipped' | 'stopped' | 'local-cache-kept-existing' | 'local-cache' | 'remote-cache';

/** One task of an Nx run as the plugin's postTasksExecution hook saw it. */
export interface NxTaskRecord {
  id: string;
  project: string;
  target: string;
  status: NxTaskStatus;
  code: number;
  /** Nx's task hash: equal hashes, equal inputs. */
  hash: string | null;
  startTime: number | null;
  endTime: number | null;
  terminalOutput: string;
}

/** What the hook writes for one Nx run. */
export interface NxTaskRun {
  version: 1;
  workspaceRoot: string;
  tasks: NxTaskRecord[];
  /** project → target → runner, for the test targets the gates asked about. */
  testTargets: Record<string, Record<string, TestTargetKind>>;
}

/** A task as kept in the gates result: no output (that stays in the local log). */
export type TaskSummary = Omit<NxTaskRecord, 'terminalOutput'> & { cached: boolean };

const CACHED: ReadonlySet<NxTaskStatus> = new Set(['local-cache', 'local-cache-kept-existing', 'remote-cache']);
const SUCCEEDED: ReadonlySet<NxTaskStatus> = new Set(['success', ...CACHED]);

export function isCached(status: NxTaskStatus): boolean {
  return CACHED.has(status);
}

export function summarizeTask(task: NxTaskRecord): TaskSummary {
  const { terminalOutput: _output, ...rest } = task;
  return { ...rest, cached: isCached(task.status) };
}

/** What the nx-stages reporters print (reporters/measured.cjs): a test run's numbers. */
export interface MeasuredRecord {
  version: 1;
  /** `nx-stages@<version>` of the reporter that printed it. */
  reporter: string;
  runner: string;
  kind: 'tests' | 'coverage';
  /** `project:target` and Nx's task hash the run was made under; null outside Nx. */
  task: string | null;
  hash: string | null;
  tests?: TestCounts;
  failedSuites?: number;
  failures?: string[];
  coverage?: CoverageTotals | null;
  /** Workspace-relative path → first 16 hex of its sha256 (null: gone). */
  files: Record<string, string | null>;
}

export const MEASURED_MARKER = '[nx-stages:measured]';
// eslint-disable-next-line no-control-regex -- ANSI escape sequences are control characters by definition.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The reporter lines in a task's terminal output, in order; anything malformed is skipped. */
export function readMeasuredRecords(terminalOutput: string): MeasuredRecord[] {
  const records: MeasuredRecord[] = [];
  for (const raw of stripAnsi(terminalOutput).split('\n')) {
    const line = raw.replace(/\r/g, '').trim();
    const at = line.indexOf(MEASURED_MARKER);
    if (at === -1) continue;
    try {
      const record = JSON.parse(line.slice(at + MEASURED_MARKER.length)) as MeasuredRecord;
      if (record && record.version === 1 && (record.kind === 'tests' || record.kind === 'coverage')) records.push(record);
    } catch {
      // a line cut by the terminal or a test printing our marker: not a record
    }
  }
  return records;
}

/** The tests and coverage one task's records state: the last of each kind. */
export function measuredOfTask(records: readonly MeasuredRecord[]): { tests: TestCounts | null; coverage: CoverageTotals | null; failures: string[]; failedSuites: number } {
  const tests = [...records].reverse().find((record) => record.kind === 'tests');
  const coverage = [...records].reverse().find((record) => record.coverage)?.coverage ?? null;
  return { tests: tests?.tests ?? null, coverage, failures: tests?.failures ?? [], failedSuites: tests?.failedSuites ?? 0 };
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "2 cached" / "" — said in a gate's detail so a reader knows what ran now. */
function cacheNote(tasks: readonly TaskSummary[]): string {
  const cached = tasks.filter((task) => task.cached).length;
  return cached === 0 ? '' : cached === tasks.length ? ' (all from the Nx cache)' : ` (${cached} from the Nx cache)`;
}

/**
 * A target gate from Nx's own results for that target's tasks: n/a when no affected project has
 * it, not run when Nx stopped before them (fast-fail), else pass only when every task succeeded.
 */
export function judgeTargetTasks(target: string, tasks: readonly TaskSummary[]): Verdict | 'not-run' {
  if (tasks.length === 0) return { status: 'n/a', detail: `no affected project has a ${target} target` };
  const failed = tasks.filter((task) => task.status === 'failure');
  if (failed.length) return { status: 'fail', detail: `${target} failed in ${failed.map((task) => task.project).join(', ')}` };
  const unfinished = tasks.filter((task) => !SUCCEEDED.has(task.status));
  if (unfinished.length === tasks.length) return 'not-run';
  if (unfinished.length) return { status: 'fail', detail: `${target} did not run in ${unfinished.map((task) => task.project).join(', ')} (${unfinished[0].status})` };
  return { status: 'pass', detail: `${target} of ${tasks.map((task) => task.project).join(', ')} succeeded${cacheNote(tasks)}` };
}

export interface MeasuredTask {
  task: TaskSummary;
  tests: TestCounts | null;
  failures: string[];
  failedSuites: number;
}

/**
 * The test gate from the measured tasks: every task must have been measured (a runner the gates
 * cannot instrument says so), nothing may fail, skipped tests fail unless allowed.
 */
export function judgeMeasuredTests(target: string, measured: readonly MeasuredTask[], total: TestCounts | null, allowSkipped: boolean): Verdict {
  if (measured.length === 0) return { status: 'n/a', detail: `no affected project has a ${target} target` };
  const unmeasured = measured.filter((entry) => entry.tests === null);
  const failures = measured.flatMap((entry) => entry.failures.map((name) => `${entry.task.project}: ${name}`));
  const failedTasks = measured.filter((entry) => entry.task.status === 'failure');
  const counts = total ? `${total.passed}/${total.total} passed, ${total.failed} failed, ${total.skipped} skipped` : 'not measured';
  const tasks = measured.map((entry) => entry.task);
  if (failures.length) return { status: 'fail', detail: `${counts}${failingNames(failures)}` };
  const broken = measured.filter((entry) => entry.failedSuites > 0);
  if (broken.length) return { status: 'fail', detail: `${counts}; test files that could not run in ${broken.map((entry) => entry.task.project).join(', ')} (see the log)` };
  if (failedTasks.length) return { status: 'fail', detail: `${target} failed in ${failedTasks.map((entry) => entry.task.project).join(', ')} (${counts}; see the log)` };
  if (unmeasured.length) {
    return { status: 'fail', detail: `tests ran but not measured in ${unmeasured.map((entry) => entry.task.project).join(', ')}: see nx run stages:doctor` };
  }
  if (!total || total.total === 0) return { status: 'fail', detail: `the ${target} tasks ran no test at all` };
  if (total.skipped > 0 && !allowSkipped) return { status: 'fail', detail: `${counts} (skipped tests fail unless the gate sets allowSkipped: true)` };
  return { status: 'pass', detail: `${counts} in ${plural(tasks.length, 'project')}${cacheNote(tasks)}` };
}

/**
 * Whether a task's recorded files still hold what the run read: a replay from Nx's cache of a run
 * made for other content (nrwl/nx#36675: a daemon with stale file hashes) shows as a mismatch.
 */
export function mismatchedFiles(recorded: Record<string, string | null>, current: Record<string, string | null>): string[] {
  return Object.keys(recorded)
    .filter((path) => recorded[path] !== current[path])
    .sort();
}
