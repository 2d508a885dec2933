import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What nx-stages wrote or copied into a worktree when it created it (`.env.local`, copied ignored
 * files), each with a digest, so `clean` can tell a file it may delete from one a person edited
 * since (a secret added to `.env.local`). Kept in the worktree's own git folder: never committed,
 * never seen by `git status`, and gone with the worktree.
 */
export const CREATION_RECORD = 'nx-stages-created.json';

interface CreationRecord {
  version: 1;
  files: Array<[path: string, digest: string]>;
}

/** Adds `entries` (files or folders, worktree-relative) as they are now to the worktree's record. */
export async function recordCreatedFiles(gitDir: string, worktree: string, entries: readonly string[]): Promise<void> {
  const files = new Map(await readRecord(gitDir));
  for (const entry of entries) {
    for (const [path, digest] of await digestsUnder(worktree, entry)) files.set(path, digest);
  }
  const record: CreationRecord = { version: 1, files: [...files].sort(([a], [b]) => (a < b ? -1 : 1)) };
  await writeFile(join(gitDir, CREATION_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Recorded files whose content changed since creation, sorted. A file deleted since is not listed
 * (nothing of it is left to lose); a worktree without a record (made by hand, or before nx-stages
 * kept one) has nothing listed. Throws when the record exists but cannot be read.
 */
export async function editedSinceCreation(gitDir: string, worktree: string): Promise<string[]> {
  const edited: string[] = [];
  for (const [path, digest] of await readRecord(gitDir)) {
    const now = await digestOf(join(worktree, path));
    if (now !== undefined && now !== digest) edited.push(path);
  }
  return edited.sort();
}

async function readRecord(gitDir: string): Promise<Array<[string, string]>> {
  const text = await readFile(join(gitDir, CREATION_RECORD), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return [];
  const record = JSON.parse(text) as Partial<CreationRecord>;
  if (record.version !== 1 || !Array.isArray(record.files)) throw new Error(`${join(gitDir, CREATION_RECORD)} is not a record nx-stages wrote`);
  return record.files;
}

/** Every file under `entry` (itself, when it is a file) with its digest. */
async function digestsUnder(worktree: string, entry: string): Promise<Array<[string, string]>> {
  const info = await lstat(join(worktree, entry)).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) {
    const digest = await digestOf(join(worktree, entry));
    return digest === undefined ? [] : [[entry, digest]];
  }
  const found: Array<[string, string]> = [];
  for (const child of await readdir(join(worktree, entry))) found.push(...(await digestsUnder(worktree, `${entry}/${child}`)));
  return found;
}

/** sha256 of a file's bytes, or of a symlink's target; undefined when there is nothing there. */
async function digestOf(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (!info) return undefined;
  const bytes = info.isSymbolicLink() ? `symlink:${await readlink(path)}` : info.isFile() ? await readFile(path) : 'not a file';
  return createHash('sha256').update(bytes).digest('hex');
}
