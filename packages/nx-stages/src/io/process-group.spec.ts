import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcessGroup } from './process-group';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nx-stages-group-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether the process is gone within a few seconds (a signal is delivered, not awaited). */
async function gone(pid: number): Promise<boolean> {
  for (let tries = 0; tries < 250 && alive(pid); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  return !alive(pid);
}

async function waitFor(file: string): Promise<void> {
  while (!existsSync(file) || readFileSync(file, 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('startProcessGroup', () => {
  it('runs a program with its arguments as given (no shell), reporting its output and exit code', async () => {
    const out: Buffer[] = [];
    const group = startProcessGroup(process.execPath, ['-e', 'console.log(process.argv[1]); process.exit(3)', '$(echo no shell) *'], {
      cwd: dir,
      env: process.env,
      onStdout: (chunk) => out.push(chunk),
    });
    const exit = await group.exited;
    expect({ exitCode: exit.exitCode, signal: exit.signal, startError: exit.startError }).toEqual({ exitCode: 3, signal: undefined, startError: undefined });
    expect(Buffer.concat(out).toString()).toBe('$(echo no shell) *\n');
  });

  it('says a command that is not on PATH was not found, without throwing', async () => {
    const exit = await startProcessGroup('nx-stages-no-such-command', [], { cwd: dir, env: process.env }).exited;
    expect(exit).toMatchObject({ exitCode: null, notFound: true, startError: 'nx-stages-no-such-command was not found on PATH' });
  });

  it('signals the whole group: the program and the child it started both end', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    // The program starts a grandchild that would outlive it, records its pid, and waits.
    const script = `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
    const group = startProcessGroup(process.execPath, ['-e', script], { cwd: dir, env: process.env });
    await waitFor(pidFile);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));

    group.signal('SIGTERM');
    const exit = await group.exited;

    expect(exit.signal).toBe('SIGTERM');
    expect(await gone(grandchild)).toBe(true);
  });
});
