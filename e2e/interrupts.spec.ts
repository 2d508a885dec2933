/**
 * End-to-end: Ctrl+C in a real Nx 24 workspace with the packed plugin — SIGINT to the process
 * group, as a terminal sends it — while git is held midway by a hook that sleeps:
 *   `nx g nx-stages:worktree 1` in post-checkout (branch made, worktree registered),
 *   `nx run stage-1:merge` in pre-merge-commit (the merge staged in the base checkout).
 * Each time nothing is left behind (base exactly as before, no branch, worktree, lock or journal)
 * and the next call succeeds. One workspace; the tests build on each other, in order.
 * Needs the plugin built (`npm run test:e2e` builds it).
 */
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createWorkspace,
  expectSuccess,
  makeTempRoot,
  NX_VERSIONS,
  nxBinOf,
  packPlugin,
  removeTempRoot,
  runIn,
  runNxAsync,
  type RunResult,
  SETUP_TIMEOUT,
  STACK_TRACE,
  stripAnsi,
  type Workspace,
  workspaceEnv,
} from './support/workspace';

jest.setTimeout(180_000);

const NX24 = NX_VERSIONS.find((version) => version.label === 'Nx 24')!;
let parent: string;
let ws: Workspace;
const worktree = () => `${ws.root}-stage-1`;

/** A hook that writes its pid to a marker file and sleeps: git stops there until it is killed. */
function sleepingHook(name: string): string {
  const marker = join(parent, `${name}.pid`);
  rmSync(marker, { force: true });
  writeFileSync(ws.path(`.git/hooks/${name}`), `#!/bin/sh\necho $$ > "${marker}"\nexec sleep 60\n`);
  chmodSync(ws.path(`.git/hooks/${name}`), 0o755);
  return marker;
}

/** `nx <args>` in its own process group; once the hook runs, SIGINT to the whole group (Ctrl+C). */
async function interruptNx(args: string[], marker: string): Promise<RunResult> {
  const capture = mkdtempSync(join(tmpdir(), 'nx-stages-e2e-io-'));
  const out = openSync(join(capture, 'stdout'), 'w');
  const err = openSync(join(capture, 'stderr'), 'w');
  const child = spawn(process.execPath, [nxBinOf(ws), ...args], { cwd: ws.root, env: workspaceEnv(ws), detached: true, stdio: ['ignore', out, err] });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  try {
    const deadline = Date.now() + 120_000;
    while (!existsSync(marker) || readFileSync(marker, 'utf8').trim() === '') {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(
          `nx ${args.join(' ')} ended or stalled before the hook ran:\n${readFileSync(join(capture, 'stdout'), 'utf8')}${readFileSync(join(capture, 'stderr'), 'utf8')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    process.kill(-child.pid!, 'SIGINT');
    const status = await exited;
    const stdout = readFileSync(join(capture, 'stdout'), 'utf8');
    const stderr = readFileSync(join(capture, 'stderr'), 'utf8');
    return { status, stdout, stderr, output: stripAnsi(`${stdout}\n${stderr}`) };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(capture, { recursive: true, force: true });
  }
}

/** What must be exactly as before: branches, worktrees, the base's HEAD and status, no merge in progress. */
function baseState() {
  return {
    branches: ws.git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']).stdout,
    worktrees: ws.git(['worktree', 'list', '--porcelain']).stdout,
    head: ws.git(['rev-parse', 'HEAD']).stdout,
    status: ws.status(),
    merging: ws.exists('.git/MERGE_HEAD'),
    siblings: readdirSync(parent).filter((name) => name.includes('-stage-')),
  };
}
const stateFiles = (sub: string) => (ws.exists(`.git/nx-stages/${sub}`) ? readdirSync(ws.path(`.git/nx-stages/${sub}`)) : []);

beforeAll(() => {
  parent = makeTempRoot('nx-stages-e2e-interrupts-');
  ws = createWorkspace(parent, NX24, packPlugin(parent));
  expectSuccess(ws.runNx(['g', 'nx-stages:init']));
  // Gates that need no test runner: the merge is what is under test here.
  ws.write('stages/stages.yaml', `${ws.read('stages/stages.yaml')}\nprofiles:\n  default: [templates, proof]\n`);
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '1', '--name=Alpha', '--files=libs/alpha/**']));
  ws.write('libs/alpha/index.js', 'exports.value = 1;\n');
  ws.commitAll('stage 1');
}, SETUP_TIMEOUT);

afterAll(() => (process.env.KEEP_E2E ? console.log(`kept ${parent}`) : removeTempRoot(parent)));

describe('Ctrl+C on Nx 24', () => {
  it('during `nx g nx-stages:worktree`: no branch, worktree, folder, lock or journal is left, and it says so; the next call succeeds', async () => {
    const before = baseState();
    const interrupted = await interruptNx(['g', 'nx-stages:worktree', '1'], sleepingHook('post-checkout'));

    expect(interrupted.status).not.toBe(0);
    expect(interrupted.output).toMatch(/Interrupted \(SIGINT\) while creating worktree .* for stage-1: removed it and the branch stage-1 again\. Nothing was left behind\./);
    expect(interrupted.output).not.toMatch(STACK_TRACE);
    expect(baseState()).toEqual(before);
    expect(stateFiles('locks')).toEqual([]);
    expect(stateFiles('journal')).toEqual([]);

    rmSync(ws.path('.git/hooks/post-checkout'));
    expectSuccess(await runNxAsync(ws, ['g', 'nx-stages:worktree', '1']));
    expect(existsSync(join(worktree(), '.env.local'))).toBe(true);
  });

  it('during `nx run stage-1:merge`: the base is exactly as before, no merge in progress, no lock; the next merge succeeds', async () => {
    writeFileSync(join(worktree(), 'libs/alpha/index.js'), 'exports.value = 2;\n');
    expectSuccess(runIn(ws, worktree(), 'git', ['commit', '-qam', 'alpha: 2']));
    expectSuccess(await runNxAsync(ws, ['run', 'stage-1:gates']));
    expectSuccess(await runNxAsync(ws, ['run', 'stage-1:proof', '--review=Reviewed.']));
    const before = baseState();

    const interrupted = await interruptNx(['run', 'stage-1:merge'], sleepingHook('pre-merge-commit'));

    expect(interrupted.status).not.toBe(0);
    expect(interrupted.output).not.toMatch(STACK_TRACE);
    expect(baseState()).toEqual(before);
    expect(stateFiles('locks').filter((name) => name.startsWith('merge-'))).toEqual([]);
    expect(stateFiles('journal')).toEqual([]);

    rmSync(ws.path('.git/hooks/pre-merge-commit'));
    expectSuccess(await runNxAsync(ws, ['run', 'stage-1:merge']));
    expect(ws.git(['log', '-1', '--format=%s']).stdout.trim()).toBe('Merge Stage 1: Alpha');
    expect(ws.status()).toBe('');
  });
});
