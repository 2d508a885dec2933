export const COVERAGE_METRICS = ['lines', 'branches', 'functions', 'statements'] as const;
export type CoverageMetric = (typeof COVERAGE_METRICS)[number];

/** Percent per metric, rounded to two decimals; null when nothing of that kind was measured. */
export type Coverage = Record<CoverageMetric, number | null>;

/** Covered and total counts per metric: what coverage summaries add up in. */
export type CoverageTotals = Record<CoverageMetric, { covered: number; total: number }>;

export function emptyTotals(): CoverageTotals {
  return { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 }, functions: { covered: 0, total: 0 }, statements: { covered: 0, total: 0 } };
}

/**
 * The `total` block of an istanbul `coverage-summary.json` (what Jest's `json-summary` reporter
 * writes), as covered/total counts; undefined when the text is not such a summary.
 */
export function readCoverageSummary(json: string): CoverageTotals | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  const total = (data as { total?: Record<string, { covered?: unknown; total?: unknown }> } | null)?.total;
  if (!total || typeof total !== 'object') return undefined;
  const totals = emptyTotals();
  for (const metric of COVERAGE_METRICS) {
    const entry = total[metric];
    if (!entry || typeof entry.covered !== 'number' || typeof entry.total !== 'number') return undefined;
    totals[metric] = { covered: entry.covered, total: entry.total };
  }
  return totals;
}

/**
 * Several projects' summaries add up by counts, not by averaging percentages, so a big project
 * weighs what it should.
 */
export function addTotals(a: CoverageTotals, b: CoverageTotals): CoverageTotals {
  const sum = emptyTotals();
  for (const metric of COVERAGE_METRICS) {
    sum[metric] = { covered: a[metric].covered + b[metric].covered, total: a[metric].total + b[metric].total };
  }
  return sum;
}

export function coveragePercent(totals: CoverageTotals): Coverage {
  const percent = ({ covered, total }: { covered: number; total: number }) => (total === 0 ? null : Math.floor((covered / total) * 10000) / 100);
  return {
    lines: percent(totals.lines),
    branches: percent(totals.branches),
    functions: percent(totals.functions),
    statements: percent(totals.statements),
  };
}
