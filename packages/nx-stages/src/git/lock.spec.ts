import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { LockTimeoutError, sanitizeLockName, withLock } from './lock';
import { makeTempDir, useTempRepos } from './test-support/temp-repo';

useTempRepos();

function lockFile(commonDir: string, name: string): string {
  return path.join(commonDir, 'nx-stages', 'locks', `${name}.lock`);
}

/** Resolves once `check` is true; lets the event loop run in between. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('withLock', () => {
  it('runs two concurrent holders of the same name one after the other', async () => {
    const commonDir = makeTempDir();
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstMayEnd = new Promise<void>((resolve) => (releaseFirst = resolve));

    const first = withLock(commonDir, 'merge-main', async () => {
      events.push('first:start');
      await firstMayEnd;
      events.push('first:end');
      return 1;
    });
    await until(() => events.includes('first:start'));
    const second = withLock(commonDir, 'merge-main', async () => {
      events.push('second:start');
      return 2;
    });
    // Give the second caller every chance to (wrongly) enter while the first holds the lock.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual(['first:start']);
    expect(JSON.parse(fs.readFileSync(lockFile(commonDir, 'merge-main'), 'utf-8'))).toMatchObject({ pid: process.pid, hostname: hostname() });

    releaseFirst();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(['first:start', 'first:end', 'second:start']);
    expect(fs.existsSync(lockFile(commonDir, 'merge-main'))).toBe(false);
  });

  it('does not serialize different names', async () => {
    const commonDir = makeTempDir();
    const result = await withLock(commonDir, 'a', () => withLock(commonDir, 'b', async () => 'nested'));
    expect(result).toBe('nested');
  });

  it('takes over a lock left by a dead process on this host', async () => {
    const commonDir = makeTempDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    fs.mkdirSync(path.dirname(lockFile(commonDir, 'stale')), { recursive: true });
    fs.writeFileSync(lockFile(commonDir, 'stale'), JSON.stringify({ pid: dead, hostname: hostname(), acquiredAt: '2020-01-01T00:00:00.000Z', token: 'old' }));
    expect(await withLock(commonDir, 'stale', async () => 'ran', { timeoutMs: 5_000 })).toBe('ran');
    expect(fs.existsSync(lockFile(commonDir, 'stale'))).toBe(false);
  });

  it('waits for (and times out on) a live holder, naming it', async () => {
    const commonDir = makeTempDir();
    fs.mkdirSync(path.dirname(lockFile(commonDir, 'busy')), { recursive: true });
    const holder = { pid: process.pid, hostname: 'another-host', acquiredAt: '2020-01-01T00:00:00.000Z', token: 'theirs' };
    fs.writeFileSync(lockFile(commonDir, 'busy'), JSON.stringify(holder));
    let ran = false;
    const attempt = withLock(commonDir, 'busy', async () => (ran = true), { timeoutMs: 50 });
    await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(attempt).rejects.toThrow(/held by pid \d+ on another-host/);
    expect(ran).toBe(false);
    expect(JSON.parse(fs.readFileSync(lockFile(commonDir, 'busy'), 'utf-8'))).toEqual(holder);
  });

  it('releases the lock when fn throws', async () => {
    const commonDir = makeTempDir();
    await expect(
      withLock(commonDir, 'boom', async () => {
        throw new Error('gate failed');
      }),
    ).rejects.toThrow('gate failed');
    expect(fs.existsSync(lockFile(commonDir, 'boom'))).toBe(false);
    expect(await withLock(commonDir, 'boom', async () => 'again', { timeoutMs: 1_000 })).toBe('again');
  });

  it('refuses a common dir that does not exist', async () => {
    const missing = path.join(makeTempDir(), 'no-such-git-dir');
    await expect(withLock(missing, 'x', async () => 1)).rejects.toThrow(missing);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('keeps lock names inside the locks folder', async () => {
    expect(sanitizeLockName('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(sanitizeLockName('stage 9.1/merge')).toBe('stage_9.1_merge');
    const commonDir = makeTempDir();
    await withLock(commonDir, '../escape', async () => {
      expect(fs.readdirSync(path.join(commonDir, 'nx-stages', 'locks'))).toEqual(['.._escape.lock']);
    });
    expect(fs.readdirSync(commonDir)).toEqual(['nx-stages']);
  });
});
