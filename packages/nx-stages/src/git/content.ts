import { createHash } from 'node:crypto';
import { parseStatusZ } from './changes';
import { ok, type GitResult } from './result';
import { countCommits } from './merged';
import { gitAt } from './client';
import { gitText, runGit } from './run';

const under = (folder: string) => (path: string) => path === folder || path.startsWith(`${folder}/`);

/**
 * A hash of the tracked content at `rev` (every path, mode and blob), with one folder left out:
 * the stage's proof folder, which the proof commit itself changes. Two commits with the same
 * content hash hold the same files, whatever their history, so a proof stays bound to content.
 */
export async function contentHash(dir: string, rev: string, leaveOut: string): Promise<GitResult<string>> {
  const listed = await gitText(dir, ['ls-tree', '-r', '-z', '--full-tree', rev]);
  if (!listed.ok) return listed;
  const skip = under(leaveOut);
  const hash = createHash('sha256');
  for (const entry of listed.value.split('\0')) {
    if (entry === '' || skip(entry.slice(entry.indexOf('\t') + 1))) continue;
    hash.update(entry).update('\0');
  }
  return ok(hash.digest('hex'));
}

/** Uncommitted paths in the checkout (staged, unstaged, untracked), the given folder left out. */
export async function uncommittedOutside(dir: string, leaveOut: string): Promise<GitResult<string[]>> {
  const listed = await gitText(dir, ['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules=none']);
  if (!listed.ok) return listed;
  return ok(outsideFolder(parseStatusZ(listed.value), leaveOut));
}

/** Paths outside a folder: what the proof folder of a stage must not count in. */
export function outsideFolder(paths: readonly string[], folder: string): string[] {
  const skip = under(folder);
  return paths.filter((path) => !skip(path));
}

/** A file's text at `rev`; undefined when the file is not there. */
export async function fileAt(dir: string, rev: string, path: string): Promise<GitResult<string | undefined>> {
  const shown = await runGit(dir, ['show', `${rev}:${path}`]);
  if (!shown.ok) return shown;
  return ok(shown.value.exitCode === 0 ? shown.value.stdout : undefined);
}

/** A file's bytes at `rev` (binary-safe); undefined when the file is not there. */
export async function fileBytesAt(dir: string, rev: string, path: string): Promise<Buffer | undefined> {
  try {
    return (await gitAt(dir).binaryCatFile(['blob', `${rev}:${path}`])) as Buffer;
  } catch {
    return undefined;
  }
}

/** Whether `ancestor` is in the history of `descendant` (counted, not --is-ancestor: simple-git adds 50 ms to silent commands). */
export async function isAncestor(dir: string, ancestor: string, descendant: string): Promise<GitResult<boolean>> {
  const missing = await countCommits(dir, descendant, ancestor);
  return missing.ok ? ok(missing.value === 0) : missing;
}
