import { gatesResultStaleness } from './staleness';

/** A stored result as the gates write it: measured at commit abc1234… with content hash "measured". */
const stored = (overrides: Partial<{ clean: boolean; uncommitted: string[] }> = {}) => ({
  commit: 'abc1234def5678',
  contentHash: 'measured',
  clean: true,
  uncommitted: [],
  ...overrides,
});

describe('when a stored gates result is still the stage’s current one', () => {
  it('is current while the content is what it measured and nothing is uncommitted', () => {
    expect(gatesResultStaleness(stored(), { contentHash: 'measured', uncommitted: [] })).toBeUndefined();
  });

  it('never, when the gates measured uncommitted changes: those numbers belong to no commit', () => {
    const dirty = stored({ clean: false, uncommitted: ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts', 'f.ts'] });
    expect(gatesResultStaleness(dirty, { contentHash: 'measured', uncommitted: [] })).toEqual({
      message: 'the gates measured uncommitted changes (a.ts, b.ts, c.ts, d.ts, e.ts)',
      hint: 'Commit them, then run gates again.',
    });
  });

  it('not once something is uncommitted now, even with the same committed content', () => {
    expect(gatesResultStaleness(stored(), { contentHash: 'measured', uncommitted: ['extra.txt'] })).toEqual({
      message: 'uncommitted changes since the gates ran: extra.txt',
      hint: 'Commit them and run gates again.',
    });
  });

  it('not once the branch content changed, naming the commit they measured', () => {
    expect(gatesResultStaleness(stored(), { contentHash: 'later', uncommitted: [] })).toEqual({
      message: 'the branch changed since the gates ran (they measured abc1234)',
      hint: 'Run gates again.',
    });
  });
});
