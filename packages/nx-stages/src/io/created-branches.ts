import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The stage branches nx-stages created in this repository, so `clean --deleteBranch` deletes only
 * those: a branch that already existed when its worktree was made (a person's own `stage-1`, one
 * checked out from a colleague) is theirs to delete. Kept in the git common dir, shared by every
 * worktree and never committed.
 */
const RECORD = 'nx-stages/created-branches.json';

interface Record {
  version: 1;
  /** branch → the commit it was created at, and when. */
  branches: { [branch: string]: { start: string; at: string } };
}

export async function recordCreatedBranch(commonDir: string, branch: string, start: string): Promise<void> {
  const record = await readRecord(commonDir);
  record.branches[branch] = { start, at: new Date().toISOString() };
  await writeRecord(commonDir, record);
}

export async function forgetCreatedBranch(commonDir: string, branch: string): Promise<void> {
  const record = await readRecord(commonDir);
  if (!Object.hasOwn(record.branches, branch)) return;
  delete record.branches[branch];
  await writeRecord(commonDir, record);
}

export async function wasCreatedByStages(commonDir: string, branch: string): Promise<boolean> {
  return Object.hasOwn((await readRecord(commonDir)).branches, branch);
}

async function readRecord(commonDir: string): Promise<Record> {
  const file = join(commonDir, RECORD);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return { version: 1, branches: Object.create(null) as Record['branches'] };
  const record = JSON.parse(text) as Partial<Record>;
  if (record.version !== 1 || typeof record.branches !== 'object' || record.branches === null) {
    throw new Error(`${file} is not a record nx-stages wrote; move it away and run again`);
  }
  return { version: 1, branches: Object.assign(Object.create(null) as Record['branches'], record.branches) };
}

/** Written to a temp file and renamed: a reader never sees half a record. */
async function writeRecord(commonDir: string, record: Record): Promise<void> {
  const file = join(commonDir, RECORD);
  await mkdir(join(commonDir, 'nx-stages'), { recursive: true });
  await writeFile(`${file}.${process.pid}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${file}.${process.pid}.tmp`, file);
}
