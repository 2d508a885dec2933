import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ok, type GitResult } from './result';
import { gitText, runGit } from './run';

/**
 * Ignored files and folders of the checkout at `dir`, workspace-relative. Ignored folders are
 * listed once (`node_modules/`, with the slash) instead of file by file, so a large
 * `node_modules` costs one line.
 */
export async function ignoredEntries(dir: string): Promise<GitResult<string[]>> {
  const listed = await gitText(dir, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory']);
  if (!listed.ok) return listed;
  return ok(listed.value.split('\0').filter(Boolean));
}

/** Whether git ignores `path` (relative to `dir`) in the checkout at `dir`. */
export async function isIgnored(dir: string, path: string): Promise<GitResult<boolean>> {
  const checked = await runGit(dir, ['check-ignore', '--quiet', '--no-index', '--', path]);
  if (!checked.ok) return checked;
  return ok(checked.value.exitCode === 0);
}

/**
 * Ignores `entries` in every worktree of the repository without touching a tracked file:
 * `info/exclude` in the common git dir applies to all worktrees and is never committed.
 */
export async function excludeLocally(commonDir: string, entries: readonly string[]): Promise<GitResult<string[]>> {
  const file = join(commonDir, 'info', 'exclude');
  const existing = await readFile(file, 'utf8').catch(() => '');
  const lines = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  const missing = entries.filter((entry) => !lines.has(entry));
  if (missing.length === 0) return ok([]);
  await mkdir(dirname(file), { recursive: true });
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${separator}# nx-stages: per-worktree files\n${missing.join('\n')}\n`);
  return ok(missing);
}
