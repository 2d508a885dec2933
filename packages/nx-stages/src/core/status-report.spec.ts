import { formatBytes } from './bytes';
import { renderStatus, statusReadiness, type StageStatus } from './status-report';
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
    expect(lines.slice(-3)).toEqual(['3 stages · 1 with a worktree · 1 merged into main', 'ready to start: none · waiting: 9.4 (needs 9.1)', 'branches: local only (no remote)']);
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

  it('counts a stage started when its branch is here or only on the remote', () => {
    const rows = [
      status('1', { branchExists: true, merged: true }),
      status('2', { copy: 'remote-only', dependsOn: ['1'] }),
      status('3', { dependsOn: ['1'], copy: 'none' }),
      status('4', { dependsOn: ['2', '3'] }),
    ];
    expect(statusReadiness(rows)).toEqual({ ready: ['3'], waiting: [{ id: '4', needs: ['2', '3'] }] });
  });

  it('with servers running and --resources: a section for each under the table (golden)', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const rows = [
      status('1', { branchExists: true, worktree: '../app-stage-1', ahead: 1, behind: 0, uncommitted: 0, diskBytes: 20_480 }),
      status('2', { branchExists: true, worktree: '../app-stage-2', ahead: 2, behind: 0, uncommitted: 1, diskBytes: 10_240 }),
      status('3', { group: 'B', dependsOn: ['1'] }),
    ];
    const servers = [
      { stage: '2', project: 'shop', target: 'serve', pid: 4102, port: 4302, url: 'http://localhost:4302/', worktree: '/work/app-stage-2', startedAt: '2026-12-01T11:58:00Z' },
      { stage: '1', project: 'cart', target: 'serve', pid: 4101, port: 4301, url: 'http://localhost:4301/', worktree: '/work/app-stage-1', startedAt: '2026-12-01T11:59:15Z' },
    ];
    const resources = [
      {
        stage: '1',
        worktree: '/work/app-stage-1',
        processes: [{ pid: 4101, command: 'node /work/app/node_modules/nx/bin/nx.js run cart:serve', rssBytes: 60 * 1024 * 1024 }],
        diskBytes: 20_480,
      },
      { stage: '2', worktree: '/work/app-stage-2', processes: [], diskBytes: 10_240 },
    ];
    expect(renderStatus(rows, 'main', { now, servers, resources }).join('\n')).toMatchSnapshot();
    // No server running, no --resources: no section, the remote line stays the last.
    expect(renderStatus(rows, 'main', { now, servers: [] }).at(-1)).toBe('branches: local only (no remote)');
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
