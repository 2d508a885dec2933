import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fail, ok, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';

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

/** The ignore rule that decides a path: where it is written and its pattern (`!…` un-ignores). */
export interface IgnoreRuleMatch {
  source: string;
  line: number;
  pattern: string;
}

/**
 * For each of `paths` (relative to `dir`), the last rule git matches, a negation included, or
 * undefined when none does — in one `git check-ignore --verbose` call. Git judges a path as it is
 * on disk: a `folder/` rule does not match a symlink or a missing path.
 */
export async function ignoreRules(dir: string, paths: readonly string[]): Promise<GitResult<Map<string, IgnoreRuleMatch | undefined>>> {
  const checked = await runGit(dir, ['check-ignore', '--verbose', '--non-matching', '--no-index', '-z', '--stdin'], { input: paths.map((path) => `${path}\0`).join('') });
  if (!checked.ok) return checked;
  // Exit 1 = nothing matched; the answers are still printed (--non-matching).
  if (checked.value.exitCode > 1) return fail(`git check-ignore failed in ${dir}: ${gitSaid(checked.value)}`);
  const fields = checked.value.stdout.split('\0');
  const rules = new Map<string, IgnoreRuleMatch | undefined>();
  // -z prints four fields per path: source, line, pattern, path (the first three empty without a match).
  for (let at = 0; at + 3 < fields.length; at += 4) {
    const [source, line, pattern, path] = fields.slice(at, at + 4);
    rules.set(path, source ? { source, line: Number(line), pattern } : undefined);
  }
  return ok(rules);
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
