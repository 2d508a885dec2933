import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { SAY_AND_FAIL_IN_2, stillAlive, useExecWorkspace, withoutDurations } from '../commands/test-support/exec-workspace';
import { startChild } from '../commands/test-support/interrupt-child';
import { runCli } from './cli';

// `nx-stages exec` through the bin: streams, exit codes, and real signals to a real child.
describe('nx-stages exec through the bin', () => {
  useTempRepos();
  jest.setTimeout(60_000);
  const workspace = useExecWorkspace();

  it('--json: stdout is the JSON document alone; the live output goes to stderr; exit 1 when one failed', async () => {
    const out: string[] = [];
    const err: string[] = [];

    const code = await runCli(['exec', '--json', '--', ...SAY_AND_FAIL_IN_2], workspace.root, { log: (text) => out.push(text), error: (text) => err.push(text) });

    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    const document = JSON.parse(out[0]);
    expect(Object.keys(document)).toEqual(['stages', 'skipped']);
    expect(document.stages.map((run: { id: string; exitCode: number }) => [run.id, run.exitCode])).toEqual([
      ['1', 0],
      ['2', 4],
      ['3', 0],
    ]);
    expect(Object.keys(document.stages[0])).toEqual(['id', 'path', 'exitCode', 'signal', 'durationMs', 'status']);
    expect(err).toEqual(expect.arrayContaining(['2 | hello from app-stage-2', '2 | warning from app-stage-2', 'the command failed in stage 2.']));
  });

  it('without --json: the commands’ stdout lines and the table on stdout, their stderr lines on stderr; exit 0 when all passed', async () => {
    const out: string[] = [];
    const err: string[] = [];

    const code = await runCli(['exec', '--stages=1', '--', process.execPath, '-e', 'console.log("out"); console.error("err")'], join(workspace.root, 'stages'), {
      log: (text) => out.push(text),
      error: (text) => err.push(text),
    });

    expect(code).toBe(0);
    expect(out[0]).toBe('1 | out');
    expect(out.slice(1).join('\n')).toMatch(/^stage +worktree +exit +duration\n.*\n1 +\.\.\/\.\.\/app-stage-1 +0 +.*\n\nthe command passed in the one worktree$/);
    expect(err).toEqual(['1 | err']);
  });

  it('Ctrl+C: SIGINT to exec is forwarded to every running command and what it started; exec waits, reports them interrupted, and leaves no process behind', async () => {
    const marks = makeTempDir();
    // Each command starts a child of its own, records both pids, and runs until stopped.
    const script = `const fs = require('fs'), path = require('path');
  const child = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(process.argv[1], path.basename(process.cwd())), process.pid + ' ' + child.pid);
  console.log('running');
  setInterval(() => {}, 1000);`;
    const running = startChild('bin/cli.ts', 'm.runCli(args[0], args[1]).then((code) => ({ ok: code === 0, code }))', [
      ['exec', '--parallel=2', '--', process.execPath, '-e', script, marks],
      workspace.root,
    ]);
    while (readdirSync(marks).length < 2) {
      if (running.child.exitCode !== null) throw new Error(`exec ended early:\n${(await running.done).stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pids = readdirSync(marks).flatMap((file) => readFileSync(join(marks, file), 'utf8').split(' ').map(Number));

    process.kill(-running.child.pid!, 'SIGINT');
    const ended = await running.done;

    // runCli's exit code, as the bin exits with it: 128 + SIGINT's number, as a shell reports a Ctrl+C.
    expect(JSON.parse(/\{"ok".*$/.exec(ended.stdout)![0])).toEqual({ ok: false, code: 130 });
    expect(ended.stderr).toMatch(/^SIGINT: stopping 2 running command\(s\) and waiting for them/m);
    expect(withoutDurations(ended.stdout.replace(/\{"ok".*$/, '').trim())).toMatch(/\ninterrupted by SIGINT: stopped 1, 2, not run 3; skipped \(no worktree\): 4$/);
    expect(ended.stdout).toMatch(/^1 +\.\.\/app-stage-1 +SIGINT interrupted/m);
    expect(ended.stdout).toMatch(/^3 +\.\.\/app-stage-3 +not run +-$/m);
    expect(readdirSync(marks).sort()).toEqual(['app-stage-1', 'app-stage-2']);
    expect(await stillAlive(pids)).toEqual([]);
  });

  it('a command that ignores Ctrl+C is killed by a second one', async () => {
    const marks = makeTempDir();
    const script = `process.on('SIGINT', () => console.log('ignoring SIGINT'));
  require('fs').writeFileSync(require('path').join(process.argv[1], 'pid'), String(process.pid));
  setInterval(() => {}, 1000);`;
    const running = startChild('bin/cli.ts', 'm.runCli(args[0], args[1]).then((code) => ({ ok: code === 0, code }))', [
      ['exec', '--stages=1', '--', process.execPath, '-e', script, marks],
      workspace.root,
    ]);
    let said = '';
    running.child.stdout?.on('data', (chunk) => (said += chunk));
    running.child.stderr?.on('data', (chunk) => (said += chunk));
    const waitFor = async (text: string) => {
      while (!said.includes(text)) {
        if (running.child.exitCode !== null) throw new Error(`exec ended early:\n${said}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    while (!existsSync(join(marks, 'pid')) || readFileSync(join(marks, 'pid'), 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 50));
    const pid = Number(readFileSync(join(marks, 'pid'), 'utf8'));

    process.kill(-running.child.pid!, 'SIGINT');
    await waitFor('1 | ignoring SIGINT');
    process.kill(-running.child.pid!, 'SIGINT');
    const ended = await running.done;

    // runCli's exit code, as the bin exits with it: 128 + SIGINT's number, as a shell reports a Ctrl+C.
    expect(JSON.parse(/\{"ok".*$/.exec(ended.stdout)![0])).toEqual({ ok: false, code: 130 });
    expect(ended.stderr).toMatch(/^SIGINT again: killing 1 command\(s\)$/m);
    expect(ended.stdout).toMatch(/^1 +\.\.\/app-stage-1 +SIGKILL interrupted/m);
    expect(await stillAlive([pid])).toEqual([]);
  });
});
