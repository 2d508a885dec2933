import { renderResources, renderServers, type ServerRecord } from './serve-report';

const NOW = new Date('2026-12-01T12:00:00Z');
const server = (stage: string, port: number, startedAt: string): ServerRecord => ({
  stage,
  project: stage === '1' ? 'cart' : 'shop',
  target: 'serve',
  pid: 4000 + port - 4300,
  port,
  url: `http://localhost:${port}/`,
  worktree: `/work/app-stage-${stage}`,
  startedAt,
});

describe('renderServers', () => {
  it('is one row per running server, by stage id, with how long it runs', () => {
    const lines = renderServers([server('10', 4302, '2026-12-01T09:45:00Z'), server('1', 4301, '2026-12-01T11:59:30Z'), server('2', 4303, '2026-12-01T11:17:00Z')], NOW);
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "stage  serves      pid   port  url                     running for
      ─────  ──────────  ────  ────  ──────────────────────  ───────────
      1      cart:serve  4001  4301  http://localhost:4301/  30s
      2      shop:serve  4003  4303  http://localhost:4303/  43m
      10     shop:serve  4002  4302  http://localhost:4302/  2h 15m"
    `);
  });

  it('says how to start one when none runs', () => {
    expect(renderServers([], NOW)).toEqual(['No stage servers are running (nx run stage-<id>:serve starts one).']);
  });
});

describe('renderResources', () => {
  it('sums each worktree’s processes and names their programs', () => {
    const lines = renderResources([
      {
        stage: '2',
        worktree: '/work/app-stage-2',
        processes: [
          { pid: 11, command: '/usr/bin/node /work/app/node_modules/nx/bin/nx.js run shop:serve', rssBytes: 80 * 1024 * 1024 },
          { pid: 12, command: 'node server.js --port=4302', rssBytes: 40 * 1024 * 1024 },
          { pid: 13, command: 'vite', rssBytes: 120 * 1024 * 1024 },
        ],
        diskBytes: 3_500_000,
      },
      { stage: '1', worktree: '/work/app-stage-1', processes: [], diskBytes: 12_000 },
      { stage: '3', worktree: '/work/app-stage-3', processes: null, diskBytes: 0 },
    ]);
    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "stage  worktree           processes  memory    disk     programs
      ─────  ─────────────────  ─────────  ────────  ───────  ─────────────
      1      /work/app-stage-1  0          0 B       11.7 KB
      2      /work/app-stage-2  3          240.0 MB  3.3 MB   node ×2, vite
      3      /work/app-stage-3  —          —         0 B"
    `);
  });
});
