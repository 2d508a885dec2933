import { existsSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { branchCheckedOutAt, branchExists, checkBranchName, createBranchAtCommit, resolveCommit } from './branch';
import { canonicalPath } from './paths';
import { fail, ok, type GitFailure, type GitResult } from './result';
import { gitSaid, runGit } from './run';

export interface AddWorktreeOptions {
  /** Folder of the new worktree; a relative path is taken from `root`. Must not exist, or be empty. */
  path: string;
  branch: string;
  /** Where a new branch starts (required when createBranch is true; ignored otherwise). */
  startPoint?: string;
  /** true: create `branch` at startPoint (refused if it exists); false: check out the existing branch. */
  createBranch: boolean;
}

export interface AddedWorktree {
  path: string;
  branch: string;
  head: string;
}

/**
 * Creates a worktree with `branch` checked out. Every refusal happens before anything changes;
 * if git itself fails half-way, the branch we created is deleted again (only if it still points
 * where we created it) so branches and `git worktree list` are as before.
 * The branch is created first and then checked out (`worktree add <path> <branch>`), rather than
 * with `worktree add -b`: then we know for certain whether the branch is ours to roll back, even
 * when another process creates the same branch at the same moment.
 */
export async function addWorktree(root: string, options: AddWorktreeOptions): Promise<GitResult<AddedWorktree>> {
  const target = canonicalPath(options.path, root);
  const { branch } = options;

  const existedBefore = existsSync(target);
  if (existedBefore) {
    if (!statSync(target).isDirectory()) return fail(`${target} already exists and is not a folder`, 'Choose another worktree location.');
    if (readdirSync(target).length > 0) {
      return fail(`${target} already exists and is not empty`, 'Choose another worktree location, or remove that folder if nothing in it is needed.');
    }
  }

  const [valid, exists] = await Promise.all([checkBranchName(root, branch), branchExists(root, branch)]);
  if (!valid.ok) return valid;
  if (!exists.ok) return exists;

  let createdAt: string | undefined;
  if (options.createBranch) {
    if (exists.value) {
      return fail(`Branch ${branch} already exists in ${root}`, 'Check out the existing branch (createBranch: false), or choose another branch name.');
    }
    if (options.startPoint === undefined) return fail(`No start point given for new branch ${branch}`, 'Pass the base branch or commit to start from.');
    const start = await resolveCommit(root, options.startPoint);
    if (!start.ok) return start;
    // Name, absence and start are checked above: only the ref itself is left to create.
    const created = await createBranchAtCommit(root, branch, start.value);
    if (!created.ok) return created;
    createdAt = created.value;
  } else {
    if (!exists.value) return fail(`Branch ${branch} does not exist in ${root}`, 'Create it (createBranch: true with a start point), or check the name with `git branch`.');
    const checkedOut = await branchCheckedOutAt(root, branch);
    if (!checkedOut.ok) return checkedOut;
    if (checkedOut.value !== undefined) {
      return fail(`Branch ${branch} is already checked out at ${checkedOut.value}`, `Use that worktree (cd "${checkedOut.value}"), or switch it to another branch first.`);
    }
  }

  // The branch exists now, so `worktree add <path> <branch>` checks it out (not detached).
  // `--` ends the options: a path starting with "-" stays a path.
  const added = await runGit(root, ['worktree', 'add', '--quiet', '--', target, branch]);
  const failure = !added.ok ? added : added.value.exitCode !== 0 ? gitRefused(target, branch, gitSaid(added.value)) : undefined;
  if (failure) {
    const undone = await rollBack(root, target, existedBefore, branch, createdAt);
    return undone.ok ? failure : { ...failure, message: `${failure.message}. Cleaning up also failed: ${undone.message}` };
  }

  const head = await resolveCommit(target, 'HEAD');
  if (!head.ok) return head;
  return ok({ path: target, branch, head: head.value });
}

function gitRefused(target: string, branch: string, said: string): GitFailure {
  const hint = /already registered|missing but/.test(said)
    ? `A deleted worktree is still registered at ${target}: run \`git worktree prune\` (or unlock it first), or choose another location.`
    : undefined;
  return fail(`Could not create worktree ${target} for ${branch}: ${said}`, hint);
}

async function rollBack(root: string, target: string, existedBefore: boolean, branch: string, createdAt: string | undefined): Promise<GitResult<void>> {
  // git cleans up its own half-made worktree; only an empty folder it may leave behind is ours to remove.
  // No `worktree prune` here: it could forget other people's worktrees, and this must change nothing.
  if (!existedBefore && existsSync(target) && statSync(target).isDirectory() && readdirSync(target).length === 0) rmdirSync(target);
  if (createdAt === undefined) return ok(undefined);
  // Compare-and-delete: if anyone moved the branch meanwhile, git refuses and we keep it.
  const deleted = await runGit(root, ['update-ref', '-d', `refs/heads/${branch}`, createdAt]);
  if (!deleted.ok) return deleted;
  if (deleted.value.exitCode !== 0) return fail(`branch ${branch} was left in place: ${gitSaid(deleted.value)}`);
  return ok(undefined);
}
