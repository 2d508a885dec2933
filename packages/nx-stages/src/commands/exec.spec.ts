import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { execCommand, type ExecOptions } from './exec';
import { SAY_AND_FAIL_IN_2, useExecWorkspace, withoutDurations } from './test-support/exec-workspace';

// Real worktrees of a real repository (test-support/exec-workspace), real `node -e` commands.
describe('nx-stages exec on real worktrees', () => {
  useTempRepos();
  jest.setTimeout(60_000);
  const workspace = useExecWorkspace();
  const worktreeOf = workspace.worktreeOf;

  /** execCommand with its live output collected per stream. */
  async function exec(command: string[], options: Partial<ExecOptions> = {}) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const log: string[] = [];
    const outcome = await execCommand(workspace.root, workspace.plan, {
      command,
      onOutput: (stream, line) => (stream === 'stdout' ? stdout : stderr).push(line),
      log: (line) => log.push(line),
      ...options,
    });
    return { outcome, stdout, stderr, log };
  }

  it('runs the command in each worktree: exit codes, output prefixed by stream, the table, the stage without a worktree skipped', async () => {
    const { outcome, stdout, stderr, log } = await exec(SAY_AND_FAIL_IN_2);

    expect(outcome.ok).toBe(false);
    expect(outcome.failure?.kind).toBe('failed');
    expect(outcome.data?.stages.map(({ id, path, exitCode, signal, status }) => ({ id, path, exitCode, signal, status }))).toEqual([
      { id: '1', path: worktreeOf('1'), exitCode: 0, signal: null, status: 'passed' },
      { id: '2', path: worktreeOf('2'), exitCode: 4, signal: null, status: 'failed' },
      { id: '3', path: worktreeOf('3'), exitCode: 0, signal: null, status: 'passed' },
    ]);
    expect(outcome.data?.skipped).toEqual(['4']);
    expect([...stdout].sort()).toEqual([
      '1 | hello from app-stage-1',
      '1 | no newline',
      '2 | hello from app-stage-2',
      '2 | no newline',
      '3 | hello from app-stage-3',
      '3 | no newline',
    ]);
    expect([...stderr].sort()).toEqual(['1 | warning from app-stage-1', '2 | warning from app-stage-2', '3 | warning from app-stage-3']);
    // Each stage's lines come in the order it printed them.
    expect(stdout.filter((line) => line.startsWith('2 '))).toEqual(['2 | hello from app-stage-2', '2 | no newline']);
    expect(log).toEqual(['skipping stage 4: no worktree (create one with `npx nx-stages worktree <id>`)']);
    expect(withoutDurations(outcome.text)).toMatchInlineSnapshot(`
      "stage  worktree        exit  duration
      ─────  ──────────────  ────  ────────
      1      ../app-stage-1  0     <time>
      2      ../app-stage-2  4     <time>
      3      ../app-stage-3  0     <time>

      the command failed in 1 of 3 worktrees: stage 2 (exit 4); skipped (no worktree): 4"
    `);
  });

  it('passes the arguments as they are, without a shell, and succeeds when every command does', async () => {
    const { outcome, stdout } = await exec([process.execPath, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', '$(touch pwned)', '*', '--json'], { stages: '1,3' });

    expect(outcome.ok).toBe(true);
    expect(outcome.data?.stages.map((run) => run.id)).toEqual(['1', '3']);
    expect(stdout).toEqual(expect.arrayContaining(['1 | ["$(touch pwned)","*","--json"]', '3 | ["$(touch pwned)","*","--json"]']));
    expect(existsSync(join(worktreeOf('1'), 'pwned'))).toBe(false);
    expect(outcome.text.split('\n').at(-1)).toBe('the command passed in all 2 worktrees');
  });

  it('never runs more commands at once than --parallel allows, and runs that many side by side', async () => {
    const marks = makeTempDir();
    // Each command marks its start, waits until all three have started (they cannot, with two at
    // a time: the wait ends after 2 s), and records how many were running at the last look.
    const script = `const fs = require('fs'), path = require('path');
const dir = process.argv[1], me = path.basename(process.cwd());
fs.writeFileSync(path.join(dir, 'start-' + me), '');
const count = (kind) => fs.readdirSync(dir).filter((f) => f.startsWith(kind)).length;
const deadline = Date.now() + 2000;
const look = () => {
  const running = count('start-') - count('finish-');
  if (count('start-') < 3 && Date.now() < deadline) return setTimeout(look, 25);
  fs.writeFileSync(path.join(dir, 'finish-' + me), String(running));
};
look();`;
    const { outcome } = await exec([process.execPath, '-e', script, marks], { parallel: '2' });

    expect(outcome.ok).toBe(true);
    const seen = readdirSync(marks)
      .filter((file) => file.startsWith('finish-'))
      .map((file) => Number(readFileSync(join(marks, file), 'utf8')));
    expect(seen).toHaveLength(3);
    expect(Math.max(...seen)).toBe(2);
  });

  it('says "not found" with exit 127 in a worktree where the command does not exist, and still runs the others', async () => {
    // A script only stage 1's worktree has: the command is resolved in each worktree.
    writeFileSync(join(worktreeOf('1'), 'check.sh'), '#!/bin/sh\necho checked\n');
    chmodSync(join(worktreeOf('1'), 'check.sh'), 0o755);

    let ran;
    try {
      ran = await exec(['./check.sh']);
    } finally {
      rmSync(join(worktreeOf('1'), 'check.sh'));
    }
    const { outcome, stdout, stderr } = ran;

    expect(outcome.failure?.kind).toBe('failed');
    expect(outcome.data?.stages.map(({ id, exitCode, status }) => ({ id, exitCode, status }))).toEqual([
      { id: '1', exitCode: 0, status: 'passed' },
      { id: '2', exitCode: 127, status: 'not-found' },
      { id: '3', exitCode: 127, status: 'not-found' },
    ]);
    expect(stdout).toEqual(['1 | checked']);
    expect([...stderr].sort()).toEqual(['2 | ./check.sh does not exist', '3 | ./check.sh does not exist']);
    expect(withoutDurations(outcome.text)).toMatchInlineSnapshot(`
      "stage  worktree        exit           duration
      ─────  ──────────────  ─────────────  ────────
      1      ../app-stage-1  0              <time>
      2      ../app-stage-2  127 not found  <time>
      3      ../app-stage-3  127 not found  <time>

      the command failed in 2 of 3 worktrees: stage 2 (127 not found), stage 3 (127 not found); skipped (no worktree): 4"
    `);
  });

  it('runs a parallel group of the plan: --group=B is stage 3', async () => {
    const { outcome } = await exec([process.execPath, '-e', ''], { group: 'b' });

    expect(outcome.ok).toBe(true);
    expect(outcome.data).toMatchObject({ stages: [{ id: '3', path: worktreeOf('3'), status: 'passed' }], skipped: [] });
  });

  describe('bad input: refused before anything runs, nothing changed', () => {
    it.each<[string, Partial<ExecOptions> & { command?: string[] }, string]>([
      ['--stages and --group together', { stages: '1', group: 'A' }, 'invalid-input'],
      ['an unknown stage', { stages: '1,9' }, 'not-found'],
      ['a named stage without a worktree', { stages: '2,4' }, 'not-found'],
      ['an unknown group', { group: 'Z' }, 'not-found'],
      ['--parallel=0', { parallel: '0' }, 'invalid-input'],
      ['--parallel=two', { parallel: 'two' }, 'invalid-input'],
      ['--stages= naming none', { stages: ' , ' }, 'invalid-input'],
      ['no command', { command: [] }, 'invalid-input'],
    ])('%s', async (_, { command, ...options }, kind) => {
      const marks = makeTempDir();
      const before = snapshot(workspace.root);

      const { outcome, stdout, stderr } = await exec(command ?? [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(join(marks, 'ran'))}, '')`], options);

      expect(outcome.ok).toBe(false);
      expect(outcome.failure?.kind).toBe(kind);
      expect(outcome.text).toBe('');
      expect([stdout, stderr, readdirSync(marks)]).toEqual([[], [], []]);
      expect(snapshot(workspace.root)).toBe(before);
      expect(outcome.failure).toMatchSnapshot();
    });

    it('refuses when no chosen stage has a worktree, saying how to make one', async () => {
      const none = await execCommand(workspace.root, { ...workspace.plan, stages: workspace.plan.stages.filter((stage) => stage.id === '4') }, { command: ['true'] });
      expect(none.failure).toEqual({
        kind: 'not-found',
        message: 'no stage has a worktree to run the command in',
        hint: 'Create it with `npx nx-stages worktree 4`.',
      });
    });
  });
});
