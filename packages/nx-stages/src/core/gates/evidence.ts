import { addTotals, coveragePercent, emptyTotals, readCoverageSummary, type Coverage } from './coverage';
import { addCounts, countJUnit, NO_TESTS, type TestCounts } from './junit';

export interface EvidenceText {
  kind: 'junit' | 'coverage';
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
    if (file.kind === 'junit') {
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
