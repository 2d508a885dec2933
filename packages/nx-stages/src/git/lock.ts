import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { throwIfInterrupted } from './interrupts';

/** What a lock file holds: enough to tell who holds it, and whether that holder is gone. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO 8601, UTC. */
  acquiredAt: string;
  token: string;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockFile: string,
    readonly owner: LockOwner | undefined,
    timeoutMs: number,
  ) {
    super(
      `Timed out after ${timeoutMs} ms waiting for ${lockFile}` +
        (owner ? `, held by pid ${owner.pid} on ${owner.hostname} since ${owner.acquiredAt}` : '') +
        '. If that process is gone, delete the lock file and try again.',
    );
  }
}

export function sanitizeLockName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
}

/**
 * Runs `fn` while holding an exclusive lock shared by every worktree of the repository (it lives
 * in the common git dir). Waits for another holder, with backoff, up to timeoutMs; a lock left by
 * a dead process on this host is taken over. Not reentrant: do not nest the same name.
 */
export async function withLock<T>(commonDir: string, name: string, fn: () => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  // A mistyped commonDir must not quietly create a lock nobody else looks at.
  const common = await fs.stat(commonDir).catch(() => undefined);
  if (!common?.isDirectory()) throw new Error(`Cannot lock "${name}": ${commonDir} is not a folder (expected the repository's git common dir)`);
  const dir = join(commonDir, 'nx-stages', 'locks');
  await fs.mkdir(dir, { recursive: true });
  const lockFile = join(dir, `${sanitizeLockName(name)}.lock`);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), acquiredAt: '', token: randomUUID() };

  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    owner.acquiredAt = new Date().toISOString();
    if (await tryCreate(lockFile, owner)) break;
    const holder = await readOwner(lockFile);
    if (holder && isStale(holder) && (await takeOver(lockFile, holder))) continue;
    if (Date.now() >= deadline) throw new LockTimeoutError(lockFile, holder, timeoutMs);
    // Ctrl+C while waiting: stop waiting; nothing was done yet.
    throwIfInterrupted(`while waiting for ${lockFile}: nothing was changed`);
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())) + Math.random() * 10);
    delay = Math.min(delay * 1.5, 250);
  }

  try {
    return await fn();
  } finally {
    await release(lockFile, owner.token);
  }
}

/**
 * Atomic create: the content is written to a private file first, then hard-linked to the lock
 * name, which fails if the name exists. Nobody ever sees a half-written lock file.
 */
async function tryCreate(lockFile: string, owner: LockOwner): Promise<boolean> {
  const draft = `${lockFile}.${owner.token}.tmp`;
  await fs.writeFile(draft, JSON.stringify(owner));
  try {
    await fs.link(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
}

async function readOwner(lockFile: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(lockFile, 'utf-8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string' && typeof parsed.token === 'string') {
      return { pid: parsed.pid, hostname: parsed.hostname, acquiredAt: String(parsed.acquiredAt), token: parsed.token };
    }
    return undefined; // not ours to judge: wait for it, report it on timeout
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // released meanwhile
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Only a holder on this host whose process no longer exists is stale; other hosts are never guessed at. */
function isStale(holder: LockOwner): boolean {
  if (holder.hostname !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, owned by someone else
  }
}

/**
 * Removes a stale lock — but only the very lock judged stale. Under a short-lived guard, re-read
 * the file: if its token changed, someone else already took over and holds it now.
 * true = try to acquire again now; false = another process is taking over, wait as usual.
 */
async function takeOver(lockFile: string, stale: LockOwner): Promise<boolean> {
  const guard = `${lockFile}.takeover`;
  try {
    await fs.mkdir(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A guard older than 10 s belongs to a process that died while taking over.
    const stat = await fs.stat(guard).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > 10_000) await fs.rm(guard, { recursive: true, force: true });
    return false;
  }
  try {
    const current = await readOwner(lockFile);
    if (current?.token === stale.token) await fs.rm(lockFile, { force: true });
    return true;
  } finally {
    await fs.rm(guard, { recursive: true, force: true });
  }
}

async function release(lockFile: string, token: string): Promise<void> {
  const current = await readOwner(lockFile);
  if (current?.token === token) await fs.rm(lockFile, { force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Who holds a lock now (a live process), or undefined: how `status` tells that a stage's gates are running. */
export async function lockHolder(commonDir: string, name: string): Promise<LockOwner | undefined> {
  const holder = await readOwner(join(commonDir, 'nx-stages', 'locks', `${sanitizeLockName(name)}.lock`)).catch(() => undefined);
  return holder && !isStale(holder) ? holder : undefined;
}
