import { addTotals, coveragePercent, readCoverageSummary } from './coverage';

const summary = (lines: [number, number], other: [number, number] = [1, 1]) =>
  JSON.stringify({
    total: {
      lines: { total: lines[1], covered: lines[0], skipped: 0, pct: 0 },
      statements: { total: other[1], covered: other[0] },
      functions: { total: other[1], covered: other[0] },
      branches: { total: other[1], covered: other[0] },
    },
    'src/a.ts': { lines: { total: 1, covered: 1 } },
  });

describe('coverage summaries', () => {
  it('reads the total block of an istanbul summary', () => {
    expect(readCoverageSummary(summary([9, 10]))?.lines).toEqual({ covered: 9, total: 10 });
  });

  it('adds projects by counts, not by averaging percentages', () => {
    const big = readCoverageSummary(summary([90, 100]));
    const small = readCoverageSummary(summary([0, 10]));
    expect(coveragePercent(addTotals(big!, small!)).lines).toBe(81.81);
  });

  it('rounds down, so 89.999 % does not pass a 90 % threshold', () => {
    expect(coveragePercent(readCoverageSummary(summary([89999, 100000]))!).lines).toBe(89.99);
  });

  it('says null for a metric with nothing to measure', () => {
    expect(coveragePercent(readCoverageSummary(summary([0, 0]))!).lines).toBeNull();
  });

  it('refuses what is not a summary', () => {
    expect(readCoverageSummary('not json')).toBeUndefined();
    expect(readCoverageSummary('{"total": {"lines": {"pct": 100}}}')).toBeUndefined();
    expect(readCoverageSummary('null')).toBeUndefined();
  });
});
