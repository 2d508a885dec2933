import { createHash } from 'node:crypto';
import { parseStatusZ } from './changes';
import { fail, ok, type GitResult } from './result';
import { countCommits } from './merged';
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
  const skip = under(leaveOut);
  return ok(parseStatusZ(listed.value).filter((path) => !skip(path)));
}

/** Files that differ between two commits, the given folder left out. */
export async function changedBetween(dir: string, from: string, to: string, leaveOut: string): Promise<GitResult<string[]>> {
  const listed = await gitText(dir, ['diff', '--name-only', '-z', '--no-renames', from, to, '--']);
  if (!listed.ok) return listed;
  const skip = under(leaveOut);
  return ok(listed.value.split('\0').filter((path) => path !== '' && !skip(path)));
}

/** A file's text at `rev`; undefined when the file is not there. */
export async function fileAt(dir: string, rev: string, path: string): Promise<GitResult<string | undefined>> {
  const shown = await runGit(dir, ['show', `${rev}:${path}`]);
  if (!shown.ok) return shown;
  return ok(shown.value.exitCode === 0 ? shown.value.stdout : undefined);
}

/** The newest common ancestor of two commits: what "changed on this branch" is measured from. */
export async function mergeBase(dir: string, a: string, b: string): Promise<GitResult<string>> {
  const found = await gitText(dir, ['merge-base', a, b]);
  if (!found.ok) return found;
  const sha = found.value.trim();
  return sha ? ok(sha) : fail(`${a} and ${b} have no common history`, 'Base the stage branch on the base branch.');
}

/** Whether `ancestor` is in the history of `descendant` (counted, not --is-ancestor: simple-git adds 50 ms to silent commands). */
export async function isAncestor(dir: string, ancestor: string, descendant: string): Promise<GitResult<boolean>> {
  const missing = await countCommits(dir, descendant, ancestor);
  return missing.ok ? ok(missing.value === 0) : missing;
}
