import { existsSync } from 'node:fs';
import { sep } from 'node:path';
import { uncommittedChanges } from './changes';
import { canonicalPath, samePath } from './paths';
import { fail, ok, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';
import { listWorktrees, pruneWorktrees, type WorktreeEntry } from './worktree-list';

/**
 * Removes the linked worktree at `path` (its folder, ignored files included; never its branch).
 * Without force it refuses when anything is uncommitted — untracked files too — and names the files.
 * git checks again itself, so work created between our check and the removal is still refused.
 */
export async function removeWorktree(root: string, path: string, options: { force: boolean }): Promise<GitResult<WorktreeEntry>> {
  const worktrees = await listWorktrees(root);
  if (!worktrees.ok) return worktrees;
  const index = worktrees.value.findIndex((entry) => samePath(entry.path, path));
  if (index === -1) return fail(`${path} is not a worktree of ${root}`, 'See `git worktree list` for the worktrees of this repository.', { kind: 'not-found' });
  const entry = worktrees.value[index];
  if (index === 0) return fail(`${entry.path} is the main checkout of the repository; it cannot be removed as a worktree`, undefined, { kind: 'invalid-input' });

  // git cannot remove a worktree from inside it; run from the main checkout in that case.
  const main = worktrees.value[0];
  const cwd = isInside(root, entry.path) && !main.bare ? main.path : root;

  if (!existsSync(entry.path) && entry.locked) {
    return fail(`Worktree ${entry.path} is locked (its folder is missing)`, `Unlock it first: git worktree unlock "${entry.path}"`, { kind: 'busy' });
  }
  if (existsSync(entry.path)) {
    if (!options.force) {
      const changes = await uncommittedChanges(entry.path);
      if (!changes.ok) return changes;
      if (changes.value.length > 0) {
        return fail(`Worktree ${entry.path} has uncommitted changes: ${changes.value.join(', ')}`, 'Commit or stash them first, or remove with force to discard them.', {
          files: changes.value,
        });
      }
    }
    const removed = await runGit(cwd, ['worktree', 'remove', ...(options.force ? ['--force'] : []), '--', entry.path]);
    if (!removed.ok) return removed;
    if (removed.value.exitCode !== 0) {
      const said = gitSaid(removed.value);
      const hint = /locked/.test(said)
        ? `Unlock it first: git worktree unlock "${entry.path}"`
        : /modified or untracked/.test(said)
          ? 'Commit or stash the changes first, or remove with force to discard them.'
          : undefined;
      return fail(`Could not remove worktree ${entry.path}: ${said}`, hint);
    }
  }
  // A folder already deleted by hand only needs git to forget it.
  const pruned = await pruneWorktrees(cwd);
  return pruned.ok ? ok(entry) : pruned;
}

/**
 * Files that removing the worktree at `path` deletes and git cannot give back: untracked and
 * ignored ones, sorted. Dependency folders (linked or installed again) and Nx's local data (.nx)
 * are left out, and git does not even walk them. No exclude rules are read on purpose: an
 * ignored `.env.local` is exactly what a person may not want to lose.
 */
export async function filesOnlyOnDisk(path: string): Promise<GitResult<string[]>> {
  const listed = await gitText(path, ['ls-files', '-z', '--others', '--exclude=node_modules', '--exclude=.nx'], 'Check that the worktree is a git checkout.');
  if (!listed.ok) return listed;
  return ok(listed.value.split('\0').filter(Boolean).sort());
}

function isInside(dir: string, folder: string): boolean {
  const inner = canonicalPath(dir);
  const outer = canonicalPath(folder);
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}
