import { canonicalPath } from './paths';
import { fail, ok, type GitResult } from './result';
import { gitSaid, runGit } from './run';
import { parseWorktreeList, type WorktreeEntry } from './worktree-list';

export interface CheckoutOf {
  /** The checkout (main or linked worktree) whose folder holds the path; its path resolved. */
  checkout: WorktreeEntry;
  /** The repository's main checkout (git lists it first); undefined in a bare repository. */
  main?: WorktreeEntry;
}

/**
 * Which checkout of which repository `dir` is in, from one `git worktree list` (a hook on every
 * edit has no time for more): the listed worktree whose folder is the longest prefix of `dir`.
 * Undefined when `dir` is in no git repository, or in no listed worktree (inside `.git`).
 */
export async function checkoutOf(dir: string): Promise<GitResult<CheckoutOf | undefined>> {
  const listed = await runGit(dir, ['worktree', 'list', '--porcelain', '-z']);
  if (!listed.ok) return listed;
  if (listed.value.exitCode !== 0) {
    if (/not a git repository/i.test(gitSaid(listed.value))) return ok(undefined);
    return fail(`Could not list the worktrees of the repository at ${dir}: ${gitSaid(listed.value)}`);
  }
  const here = canonicalPath(dir);
  const entries = parseWorktreeList(listed.value.stdout).map((entry) => ({ ...entry, path: canonicalPath(entry.path) }));
  const containing = entries.filter((entry) => !entry.bare && (here === entry.path || here.startsWith(entry.path.endsWith('/') ? entry.path : `${entry.path}/`)));
  const checkout = containing.sort((a, b) => b.path.length - a.path.length)[0];
  if (!checkout) return ok(undefined);
  const main = entries[0] && !entries[0].bare ? entries[0] : undefined;
  return ok({ checkout, ...(main ? { main } : {}) });
}
