import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sanitizeLockName } from './lock';

/**
 * What an operation that changes checkouts is doing, written to the git common dir before its
 * first change and removed when it ends. A process killed outright (SIGKILL, power loss) leaves
 * it behind: the next call, under the same lock, knows what the half-done state is and that it
 * is ours — and so never mistakes a person's merge or worktree for something to undo.
 */
export interface JournalEntry<T> {
  operation: string;
  pid: number;
  hostname: string;
  /** ISO 8601, UTC. */
  startedAt: string;
  data: T;
}

export interface Journal<T> {
  /** Records more of what was done (e.g. a commit made), before going on. */
  update(data: T): Promise<void>;
  remove(): Promise<void>;
}

const folder = (commonDir: string) => join(commonDir, 'nx-stages', 'journal');
const fileOf = (commonDir: string, key: string) => join(folder(commonDir), `${sanitizeLockName(key)}.json`);

/** Starts the journal `key` (one per lock: only the lock holder writes it). */
export async function startJournal<T>(commonDir: string, key: string, operation: string, data: T): Promise<Journal<T>> {
  const file = fileOf(commonDir, key);
  await fs.mkdir(folder(commonDir), { recursive: true });
  const entry: JournalEntry<T> = { operation, pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), data };
  const write = async () => {
    // Written aside and renamed: a kill mid-write never leaves half a journal.
    const draft = `${file}.${process.pid}.tmp`;
    await fs.writeFile(draft, JSON.stringify(entry, null, 2));
    await fs.rename(draft, file);
  };
  await write();
  return {
    update: async (next) => {
      entry.data = next;
      await write();
    },
    remove: () => fs.rm(file, { force: true }),
  };
}

/** The journal left at `key`, if any; an unreadable one is reported as such, never guessed at. */
export async function readJournal<T>(commonDir: string, key: string): Promise<JournalEntry<T> | 'unreadable' | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(fileOf(commonDir, key), 'utf8')) as JournalEntry<T>;
    return parsed && typeof parsed === 'object' && parsed.data && typeof parsed.data === 'object' ? parsed : 'unreadable';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'unreadable';
  }
}

export function removeJournal(commonDir: string, key: string): Promise<void> {
  return fs.rm(fileOf(commonDir, key), { force: true });
}

/** Keys of the journals whose key starts with `prefix`. */
export async function journalKeys(commonDir: string, prefix: string): Promise<string[]> {
  const names = await fs.readdir(folder(commonDir)).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.json') && name.startsWith(sanitizeLockName(prefix))).map((name) => name.slice(0, -'.json'.length));
}

/** "pid 123, started 2026-…": who left a journal, for the message. */
export function describeJournal(entry: JournalEntry<unknown>): string {
  return `pid ${entry.pid}${entry.hostname === hostname() ? '' : ` on ${entry.hostname}`}, started ${entry.startedAt}`;
}
