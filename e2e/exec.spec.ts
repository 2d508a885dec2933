/**
 * End-to-end: `npx nx-stages exec` in a real Nx 24 workspace with the packed plugin installed,
 * over three stage worktrees made by the plugin itself (`npx nx-stages worktree <id>`), with one
 * more stage that has no worktree. The commands are what users run there: node, git.
 *
 * Worktrees are created beside the workspace, so it lives in a temp folder of its own, removed
 * as a whole in afterAll. Needs the plugin built (`npm run test:e2e` builds it).
 */
import { realpathSync } from 'node:fs';
import {
  createWorkspace,
  extractJson,
  makeTempRoot,
  NX_VERSIONS,
  packPlugin,
  removeTempRoot,
  runIn,
  SETUP_TIMEOUT,
  STACK_TRACE,
  type RunResult,
  type Workspace,
} from './support/workspace';

jest.setTimeout(120_000);

const NX24 = NX_VERSIONS.find((version) => version.label === 'Nx 24')!;

let parent: string;
let ws: Workspace;
const worktreeOf = (id: string) => realpathSync(`${ws.root}-stage-${id}`);

function expectSuccess(result: RunResult): void {
  if (result.status !== 0) throw new Error(`expected exit 0, got ${result.status}:\n${result.output}`);
}

beforeAll(() => {
  parent = makeTempRoot('nx-stages-e2e-exec-');
  ws = createWorkspace(parent, NX24, packPlugin(parent));
  expectSuccess(ws.runNx(['g', 'nx-stages:init']));
  for (const args of [
    ['1', '--name=Alpha', '--files=libs/alpha/**'],
    ['2', '--name=Beta', '--files=libs/beta/**'],
    ['3', '--name=Gamma', '--files=libs/gamma/**'],
    ['4', '--name=Later', '--dependsOn=1', '--files=libs/delta/**'],
  ]) {
    expectSuccess(ws.runNx(['g', 'nx-stages:stage', ...args]));
  }
  ws.commitAll('stages 1–4');
  for (const id of ['1', '2', '3']) expectSuccess(ws.runBin(['worktree', id]));
}, SETUP_TIMEOUT);

afterAll(() => removeTempRoot(parent));

// Says where it runs on stdout, warns on stderr, and fails in stage 2's worktree (its .env.local says which stage it is).
const SAY_AND_FAIL_IN_2 = `const fs = require('fs');
const stage = /^STAGE_ID=['"]?([^'"\\n]+)/m.exec(fs.readFileSync('.env.local', 'utf8'))[1];
console.log('tests of stage ' + stage + ' in ' + process.cwd());
console.error('a warning from ' + stage);
process.exit(stage === '2' ? 3 : 0);`;

describe('npx nx-stages exec on Nx 24', () => {
  it('runs the command in the three worktrees side by side: each line prefixed with its stage, the table, exit 1 because stage 2 failed', () => {
    const result = ws.runBin(['exec', '--', 'node', '-e', SAY_AND_FAIL_IN_2]);

    expect(result.status).toBe(1);
    expect(result.output).not.toMatch(STACK_TRACE);
    const stdout = result.stdout.split('\n');
    for (const id of ['1', '2', '3']) {
      expect(stdout).toContain(`${id} | tests of stage ${id} in ${worktreeOf(id)}`);
      expect(result.stderr.split('\n')).toContain(`${id} | a warning from ${id}`);
    }
    expect(result.stderr).toContain('skipping stage 4: no worktree');
    const table = stdout.slice(stdout.indexOf(stdout.find((line) => line.startsWith('stage '))!));
    expect(table.map((line) => line.replace(/\d+(\.\d)? m?s$/, '<time>'))).toEqual([
      'stage  worktree                   exit  duration',
      expect.stringMatching(/^─+ {2}─+ {2}─+ {2}─+$/),
      `1      ../${ws.root.split('/').pop()}-stage-1  0     <time>`,
      `2      ../${ws.root.split('/').pop()}-stage-2  3     <time>`,
      `3      ../${ws.root.split('/').pop()}-stage-3  0     <time>`,
      '',
      'the command failed in 1 of 3 worktrees: stage 2 (exit 3); skipped (no worktree): 4',
      '',
    ]);
  });

  it('--json: one JSON document on stdout with each stage’s exit code; the output goes to stderr', () => {
    const result = ws.runBin(['exec', '--json', '--parallel=1', '--', 'node', '-e', SAY_AND_FAIL_IN_2]);

    expect(result.status).toBe(1);
    const document = JSON.parse(result.stdout) as { stages: Array<{ id: string; path: string; exitCode: number; signal: string | null; durationMs: number }>; skipped: string[] };
    expect(document.stages.map(({ id, path, exitCode, signal }) => ({ id, path, exitCode, signal }))).toEqual([
      { id: '1', path: worktreeOf('1'), exitCode: 0, signal: null },
      { id: '2', path: worktreeOf('2'), exitCode: 3, signal: null },
      { id: '3', path: worktreeOf('3'), exitCode: 0, signal: null },
    ]);
    expect(document.skipped).toEqual(['4']);
    expect(result.stderr).toContain(`2 | tests of stage 2 in ${worktreeOf('2')}`);
    expect(extractJson(result.stdout)).toEqual(document);
  });

  it('from inside a worktree, --stages picks the stages: git in each says its own branch; exit 0', () => {
    const result = runIn(ws, worktreeOf('2'), `${ws.root}/node_modules/.bin/nx-stages`, ['exec', '--stages=3,1', '--', 'git', 'rev-parse', '--abbrev-ref', 'HEAD']);

    expectSuccess(result);
    expect(
      result.stdout
        .split('\n')
        .filter((line) => line.includes(' | '))
        .sort(),
    ).toEqual(['1 | stage-1', '3 | stage-3']);
    expect(result.stdout).toMatch(/the command passed in all 2 worktrees\n$/);
  });

  it('refuses a stage without a worktree by name, an unknown stage, and a missing command, without a stack trace', () => {
    const missing = ws.runBin(['exec', '--stages=1,4', '--', 'node', '-e', '']);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('stage 4 has no worktree (no checkout of stage-4). Create it with `npx nx-stages worktree 4`.\n');

    const unknown = ws.runBin(['exec', '--stages=9', '--', 'node', '-e', '']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^no stage "9" in stages\/stages\.yaml/);

    const none = ws.runBin(['exec', '--stages=1']);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^nx-stages exec: which command\? Give it after --/);
    for (const result of [missing, unknown, none]) expect(result.output).not.toMatch(STACK_TRACE);
  });
});
