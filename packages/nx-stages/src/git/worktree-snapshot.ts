import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCommit } from './branch';
import { uncommittedChanges } from './changes';
import { fail, ok, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';

/** A worktree's uncommitted work as a commit: what a forecast can merge without anyone committing. */
export interface WorktreeSnapshot {
  /** An unreferenced commit of the working tree on top of HEAD. */
  commit: string;
  /** Paths with uncommitted changes (as `git status` lists them). */
  files: string[];
}

/**
 * What the worktree holds now — tracked changes and new files git does not ignore — as a commit
 * on top of its HEAD, or undefined when nothing is uncommitted. Built in an index of our own: a
 * copy of the worktree's index (so unchanged files are not hashed again) in a temp folder, then
 * `git add -A`, `write-tree` and `commit-tree` with GIT_INDEX_FILE pointing at the copy. The
 * worktree's own index, HEAD, files and refs are never touched; the commit is unreferenced and
 * `git gc` removes it.
 */
export async function snapshotWorktree(worktree: string): Promise<GitResult<WorktreeSnapshot | undefined>> {
  const changes = await uncommittedChanges(worktree);
  if (!changes.ok) return changes;
  if (changes.value.length === 0) return ok(undefined);
  const head = await resolveCommit(worktree, 'HEAD');
  if (!head.ok) return head;
  const indexPath = await gitText(worktree, ['rev-parse', '--path-format=absolute', '--git-path', 'index']);
  if (!indexPath.ok) return indexPath;
  const temp = mkdtempSync(join(tmpdir(), 'nx-stages-snapshot-'));
  try {
    const indexFile = join(temp, 'index');
    if (existsSync(indexPath.value.trim())) copyFileSync(indexPath.value.trim(), indexFile);
    const added = await runGit(worktree, ['add', '--all', '--', '.'], { indexFile });
    if (!added.ok) return added;
    if (added.value.exitCode !== 0) return fail(`Could not read the uncommitted work in ${worktree}: ${gitSaid(added.value)}`, 'Check the files git names there, then run again.');
    const tree = await runGit(worktree, ['write-tree'], { indexFile });
    if (!tree.ok) return tree;
    if (tree.value.exitCode !== 0) return fail(`Could not read the uncommitted work in ${worktree}: ${gitSaid(tree.value)}`);
    // A fixed identity, as for the simulation's merges: the commit is never shown or kept.
    const commit = await gitText(worktree, [
      '-c',
      'user.name=nx-stages forecast',
      '-c',
      'user.email=forecast@nx-stages.invalid',
      'commit-tree',
      tree.value.stdout.trim(),
      '-p',
      head.value,
      '-m',
      'nx-stages conflicts forecast: uncommitted work',
    ]);
    if (!commit.ok) return commit;
    return ok({ commit: commit.value.trim(), files: changes.value });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
