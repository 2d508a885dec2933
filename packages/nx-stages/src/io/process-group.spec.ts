import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { startGroup, waitForGroupGone } from './process-group';
import { isAlive } from './servers';

useTempRepos();

// A leader that starts a child of its own which ignores SIGTERM (a dev server slow to stop), and
// writes both pids down once the child runs.
const LEADER = `const { spawn } = require('child_process');
const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); require('fs').writeFileSync('child.pid', String(process.pid)); setInterval(() => {}, 1000);"], { stdio: 'ignore' });
setInterval(() => {}, 1000);`;

async function pidFile(dir: string): Promise<number> {
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

describe('startGroup', () => {
  it('stops the whole group it started, SIGKILL for what ignores SIGTERM, and waits until none is left', async () => {
    const dir = makeTempDir();
    const group = startGroup(process.execPath, ['-e', LEADER], { cwd: dir, env: process.env });
    if ('startError' in group) throw new Error(group.startError);
    const child = await pidFile(dir);
    expect(isAlive(child)).toBe(true);
    const exit = await group.stop(500);
    expect(exit.signal).toBe('SIGTERM');
    expect([isAlive(group.pid), isAlive(child)]).toEqual([false, false]);
    expect(await waitForGroupGone(group.pid, 0)).toBe(true);
  });

  it('reports the exit of a program that ends by itself', async () => {
    const group = startGroup(process.execPath, ['-e', 'process.exit(3)'], { cwd: makeTempDir(), env: process.env });
    if ('startError' in group) throw new Error(group.startError);
    expect(await group.exited).toEqual({ code: 3, signal: null });
  });
});
