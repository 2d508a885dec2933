import { formatBytes, renderStatus, type StageStatus } from './status-report';
import { renderTable } from './table';

const status = (id: string, overrides: Partial<StageStatus> = {}): StageStatus => ({
  id,
  name: `Stage ${id}`,
  group: 'A',
  dependsOn: [],
  assignee: null,
  branch: `stage-${id}`,
  branchExists: false,
  copy: null,
  worktree: null,
  ahead: null,
  behind: null,
  uncommitted: null,
  merged: false,
  gates: null,
  proof: null,
  diskBytes: null,
  ...overrides,
});

describe('renderStatus', () => {
  const stages = [
    status('9.1', { assignee: 'alice', branchExists: true, worktree: '../app-stage-9.1', ahead: 3, behind: 1, uncommitted: 2, diskBytes: 1536 }),
    status('9.4', { group: 'B', dependsOn: ['9.1'], assignee: 'alice' }),
    status('9.2', { merged: true, branchExists: true, ahead: 0, behind: 4, uncommitted: 0 }),
  ];

  it('prints one aligned row per stage and a summary', () => {
    const lines = renderStatus(stages, 'main');
    expect(lines[0]).toMatch(/^Stage\s+Group\s+Deps\s+Assignee\s+Branch\s+Worktree/);
    expect(lines[2]).toContain('9.1 Stage 9.1');
    expect(lines[2]).toContain('↑3 ↓1');
    expect(lines[2]).toContain('2 files');
    expect(lines[2]).toContain('1.5 KB');
    expect(lines[4]).toContain('clean');
    expect(lines.slice(-2)).toEqual(['3 stages · 1 with a worktree · 1 merged into main', 'branches: local only (no remote)']);
    // Every row's cells start where the header's do.
    const groupColumn = lines[0].indexOf('Group');
    for (const row of [lines[2], lines[3], lines[4]]) expect(row.slice(groupColumn, groupColumn + 2)).toMatch(/^[AB] /);
  });

  it('the whole table, as a person reads it (golden)', () => {
    expect(renderStatus(stages, 'main').join('\n')).toMatchSnapshot();
    expect(renderStatus(stages, 'main', { by: 'assignee' }).join('\n')).toMatchSnapshot();
  });

  it('groups by assignee for the team overview, unassigned last', () => {
    const lines = renderStatus(stages, 'main', { by: 'assignee' });
    expect(lines.filter((line) => /^\S.*\(\d+\)$/.test(line))).toEqual(['alice (2)', 'unassigned (1)']);
    // The first person's name is the first line: no blank line above it, one between tables.
    expect(lines[0]).toBe('alice (2)');
    expect(lines[lines.indexOf('unassigned (1)') - 1]).toBe('');
  });

  it('with a remote: which copy of each branch, and when it was fetched (golden)', () => {
    const team = [
      status('1', { assignee: 'ann', branchExists: true, copy: 'same', ahead: 2, behind: 0, worktree: '../app-stage-1' }),
      status('2', { assignee: 'bob', copy: 'remote-only', ahead: 1, behind: 0, proof: 'valid' }),
      status('3', { assignee: 'ann', branchExists: true, copy: 'local-behind', ahead: 1, behind: 0 }),
      status('4', { copy: 'none' }),
    ];
    const now = new Date('2026-12-01T12:00:00Z');
    const fetched = renderStatus(team, 'main', { remote: { name: 'origin', fetchedAt: '2026-12-01T11:48:00Z' }, now });
    expect(fetched.join('\n')).toMatchSnapshot();
    expect(fetched[0]).toMatch(/Branch\s+Remote\s+Worktree/);
    expect(fetched[fetched.length - 1]).toBe('remote origin: fetched 12 min ago — `--fetch` refreshes');
    expect(renderStatus(team, 'main', { remote: { name: 'origin' }, now }).at(-1)).toBe("remote origin: never fetched here — `--fetch` reads teammates' branches");
  });

  it('says when there is nothing to show', () => {
    expect(renderStatus([], 'main')).toEqual(['No stages in the plan yet.']);
  });
});

describe('renderTable', () => {
  it('aligns unicode cells by code point', () => {
    const [header, , row] = renderTable(['Name', 'X'], [['données', '1']]);
    expect(header.indexOf('X')).toBe(row.indexOf('1'));
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [5 * 1024 * 1024, '5.0 MB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
