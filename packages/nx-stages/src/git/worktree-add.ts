import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { branchCheckedOutAt, branchExists, checkBranchName, createBranchAtCommit, resolveCommit } from './branch';
import { interruptedBy } from './interrupts';
import { canonicalPath, samePath } from './paths';
import { fail, ok, type GitFailure, type GitResult } from './result';
import { gitSaid, runGit } from './run';
import { listWorktrees } from './worktree-list';

/** In a failure's message when the roll-back itself failed: something may be left behind. */
export const CLEANUP_FAILED = 'Cleaning up also failed';

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
  const added = await add(root, options);
  // Interrupted (SIGINT/SIGTERM) before anything was made: a read git was stopped in, or a checkpoint.
  // Once the branch exists, `add` itself reports the interrupt with what it undid.
  const signal = interruptedBy();
  if (added.ok || !signal || added.interrupted) return added;
  return fail(`Interrupted (${signal}) before creating ${options.branch} and its worktree: nothing was changed`, undefined, { interrupted: signal });
}

async function add(root: string, options: AddWorktreeOptions): Promise<GitResult<AddedWorktree>> {
  const target = canonicalPath(options.path, root);
  const { branch } = options;

  const existedBefore = existsSync(target);
  if (existedBefore) {
    if (!statSync(target).isDirectory()) return fail(`${target} already exists and is not a folder`, 'Choose another worktree location.', { kind: 'exists' });
    if (readdirSync(target).length > 0) {
      return fail(`${target} already exists and is not empty`, 'Choose another worktree location, or remove that folder if nothing in it is needed.', { kind: 'exists' });
    }
  }

  const [valid, exists] = await Promise.all([checkBranchName(root, branch), branchExists(root, branch)]);
  if (!valid.ok) return valid;
  if (!exists.ok) return exists;

  let createdAt: string | undefined;
  if (options.createBranch) {
    if (exists.value) {
      return fail(`Branch ${branch} already exists in ${root}`, 'Check out the existing branch (createBranch: false), or choose another branch name.', { kind: 'exists' });
    }
    if (options.startPoint === undefined) return fail(`No start point given for new branch ${branch}`, 'Pass the base branch or commit to start from.', { kind: 'invalid-input' });
    const start = await resolveCommit(root, options.startPoint);
    if (!start.ok) return start;
    // Name, absence and start are checked above: only the ref itself is left to create.
    if (interruptedBy()) return fail('interrupted', undefined, { kind: 'interrupted' }); // the last moment nothing has changed (see addWorktree)
    const created = await createBranchAtCommit(root, branch, start.value);
    if (!created.ok) return created;
    createdAt = created.value;
  } else {
    if (!exists.value)
      return fail(`Branch ${branch} does not exist in ${root}`, 'Create it (createBranch: true with a start point), or check the name with `git branch`.', { kind: 'not-found' });
    const checkedOut = await branchCheckedOutAt(root, branch);
    if (!checkedOut.ok) return checkedOut;
    if (checkedOut.value !== undefined) {
      return fail(`Branch ${branch} is already checked out at ${checkedOut.value}`, `Use that worktree (cd "${checkedOut.value}"), or switch it to another branch first.`, {
        kind: 'exists',
      });
    }
  }

  // The branch exists now, so `worktree add <path> <branch>` checks it out (not detached).
  // `--` ends the options: a path starting with "-" stays a path.
  if (!createdAt && interruptedBy()) return fail('interrupted', undefined, { kind: 'interrupted' });
  const added = await runGit(root, ['worktree', 'add', '--quiet', '--', target, branch]);
  const head = added.ok && added.value.exitCode === 0 ? await resolveCommit(target, 'HEAD') : undefined;
  const signal = interruptedBy();
  const failure = signal
    ? fail(`Interrupted (${signal}) while creating worktree ${target} for ${branch}`, undefined, { interrupted: signal })
    : !added.ok
      ? added
      : added.value.exitCode !== 0
        ? gitRefused(target, branch, gitSaid(added.value))
        : head?.ok === false
          ? head
          : undefined;
  if (failure || !head?.ok) {
    const undone = await rollBack(root, target, existedBefore, branch, createdAt);
    const reported = failure ?? fail(`Could not create worktree ${target} for ${branch}`);
    if (!undone.ok) return { ...reported, message: `${reported.message}. ${CLEANUP_FAILED}: ${undone.message}` };
    return signal ? { ...reported, message: `${reported.message}: removed it${createdAt ? ` and the branch ${branch}` : ''} again. Nothing was left behind` } : reported;
  }
  return ok({ path: target, branch, head: head.value });
}

function gitRefused(target: string, branch: string, said: string): GitFailure {
  const hint = /already registered|missing but/.test(said)
    ? `A deleted worktree is still registered at ${target}: run \`git worktree prune\` (or unlock it first), or choose another location.`
    : undefined;
  return fail(`Could not create worktree ${target} for ${branch}: ${said}`, hint);
}

async function rollBack(root: string, target: string, existedBefore: boolean, branch: string, createdAt: string | undefined): Promise<GitResult<void>> {
  // git cleans up a worktree it fails to check out, but one interrupted in its post-checkout hook
  // stays registered: ours if it is at our path with our branch (checked out nowhere before).
  const listed = await listWorktrees(root);
  if (!listed.ok) return listed;
  const made = listed.value.find((entry) => samePath(entry.path, target) && entry.branch === branch);
  if (made) {
    const removed = await runGit(root, ['worktree', 'remove', '--force', '--force', '--', made.path]);
    if (!removed.ok) return removed;
    if (removed.value.exitCode !== 0) return fail(`worktree ${made.path} was left in place: ${gitSaid(removed.value)}`);
    if (existedBefore) mkdirSync(target); // it was there, empty, before
  }
  // Only an empty folder git may leave behind is ours to remove.
  // No `worktree prune` here: it could forget other people's worktrees, and this must change nothing.
  if (!existedBefore && existsSync(target) && statSync(target).isDirectory() && readdirSync(target).length === 0) rmdirSync(target);
  if (createdAt === undefined) return ok(undefined);
  // Compare-and-delete: if anyone moved the branch meanwhile, git refuses and we keep it.
  const deleted = await runGit(root, ['update-ref', '-d', `refs/heads/${branch}`, createdAt]);
  if (!deleted.ok) return deleted;
  if (deleted.value.exitCode !== 0) return fail(`branch ${branch} was left in place: ${gitSaid(deleted.value)}`);
  return ok(undefined);
}
