import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { startGroup, waitForGroupGone } from './server-group';
import { isAlive } from './servers';

useTempRepos();

// A leader that starts a child of its own which ignores SIGTERM (a dev server slow to stop) and
// writes its pid down once it runs; then the leader does `then`.
// With `detached`, the child leads a session of its own, as Nx starts a task's command.
const leader = (then: string, detached = false) => `const { spawn } = require('child_process');
const fs = require('fs');
spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); require('fs').writeFileSync('child.pid', String(process.pid)); setInterval(() => {}, 1000);"], { stdio: 'ignore', detached: ${detached} });
${then}`;
const RUN_ON = 'setInterval(() => {}, 1000);';
const EXIT_ONCE_CHILD_RUNS = "setInterval(() => { if (fs.existsSync('child.pid')) process.exit(0); }, 20);";

async function childPid(dir: string): Promise<number> {
  for (;;) {
    try {
      const text = readFileSync(join(dir, 'child.pid'), 'utf8');
      if (text) return Number(text);
    } catch {
      // not written yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function start(script: string, dir: string) {
  const group = startGroup(process.execPath, ['-e', script], { cwd: dir, env: process.env });
  if ('startError' in group) throw new Error(group.startError);
  return group;
}

describe('startGroup', () => {
  it('stops the whole group it started, SIGKILL for what ignores SIGTERM, and waits until none is left', async () => {
    const dir = makeTempDir();
    const group = start(leader(RUN_ON), dir);
    const child = await childPid(dir);
    expect(isAlive(child)).toBe(true);
    const exit = await group.stop(500);
    expect(exit.signal).toBe('SIGTERM');
    expect([isAlive(group.pid), isAlive(child)]).toEqual([false, false]);
    expect(await waitForGroupGone(group.pid, 0)).toBe(true);
  });

  it('stops what the leader started in a session of its own (as Nx runs a command), by its pid', async () => {
    const dir = makeTempDir();
    const group = start(leader(RUN_ON, true), dir);
    const child = await childPid(dir);
    // Looked up while the leader runs: the child may be only a moment old.
    await group.stop(500);
    expect([isAlive(group.pid), isAlive(child)]).toEqual([false, false]);
  });

  it('stops what a leader that exits by itself leaves running in its group', async () => {
    const dir = makeTempDir();
    const group = start(leader(EXIT_ONCE_CHILD_RUNS), dir);
    const child = await childPid(dir);
    expect(await group.exited).toEqual({ code: 0, signal: null });
    expect(isAlive(child)).toBe(false);
    // The child ignores SIGTERM: it is gone after the grace period, by SIGKILL.
  }, 30_000);

  it('reports the exit of a program that ends by itself', async () => {
    const group = start('process.exit(3)', makeTempDir());
    expect(await group.exited).toEqual({ code: 3, signal: null });
  });
});
