import { addTotals, coveragePercent, emptyTotals, readCoverageSummary, type Coverage } from './coverage';
import { addCounts, countJUnit, NO_TESTS, type TestCounts } from './junit';
import { measuredOfTask, type MeasuredRecord } from './nx-task-run';

/** junit: a JUnit XML report; coverage: a coverage-summary.json; measured: an nx-stages reporter's records of one task. */
export type EvidenceKind = 'junit' | 'coverage' | 'measured';

/** The evidence file of one measured test task: what its reporter printed, with the task it came from. */
export interface MeasuredEvidence {
  task: string;
  hash: string | null;
  status: string;
  records: MeasuredRecord[];
}

export interface EvidenceText {
  kind: EvidenceKind;
  path: string;
  content: string;
}

export interface Measured {
  /** null: no JUnit file at all (not measured). */
  tests: TestCounts | null;
  coverage: Coverage | null;
  /** Files that were not what their kind promised, for the gate's report. */
  unreadable: string[];
}

/** The numbers a set of evidence files states: the same function at gate time and at verify time. */
export function measureEvidence(files: readonly EvidenceText[]): Measured {
  let tests: TestCounts | null = null;
  let totals = null as ReturnType<typeof emptyTotals> | null;
  const unreadable: string[] = [];
  for (const file of files) {
    if (file.kind === 'measured') {
      const measured = readMeasuredEvidence(file.content);
      if (!measured) {
        unreadable.push(file.path);
        continue;
      }
      const { tests: counts, coverage } = measuredOfTask(measured.records);
      if (counts) tests = addCounts(tests ?? NO_TESTS, counts);
      if (coverage) totals = addTotals(totals ?? emptyTotals(), coverage);
    } else if (file.kind === 'junit') {
      const counts = countJUnit(file.content);
      if (counts) tests = addCounts(tests ?? NO_TESTS, counts);
      else unreadable.push(file.path);
    } else {
      const summary = readCoverageSummary(file.content);
      if (summary) totals = addTotals(totals ?? emptyTotals(), summary);
      else unreadable.push(file.path);
    }
  }
  return { tests, coverage: totals ? coveragePercent(totals) : null, unreadable };
}

export function readMeasuredEvidence(content: string): MeasuredEvidence | undefined {
  try {
    const parsed = JSON.parse(content) as MeasuredEvidence;
    return parsed && typeof parsed.task === 'string' && Array.isArray(parsed.records) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
