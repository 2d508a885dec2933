import { runGit, gitSaid } from './run';
import { fail, ok, type GitResult } from './result';
import { listWorktrees } from './worktree-list';

/**
 * Refuses names git would read as an option, or that are not valid branch names. Checked with
 * `git check-ref-format refs/heads/<name>` rather than `--branch`, which would expand `@{-1}`;
 * --normalize makes git print the name (see verifyRef on silent commands), and a name that
 * needed normalizing ("a//b") is refused rather than silently changed.
 */
export async function checkBranchName(root: string, name: string): Promise<GitResult<string>> {
  const refused = fail(
    `"${name}" is not a valid branch name`,
    'Use letters, digits, ".", "_", "-" and "/"; no spaces, "..", "~", "^", ":", "?", "*", "[", "@{" or a leading "-".',
    { kind: 'invalid-input' },
  );
  if (name === '' || name.startsWith('-')) return refused;
  const checked = await runGit(root, ['check-ref-format', '--normalize', `refs/heads/${name}`]);
  if (!checked.ok) return checked;
  return checked.value.exitCode === 0 && checked.value.stdout.trim() === `refs/heads/${name}` ? ok(name) : refused;
}

/**
 * `rev-parse --verify --quiet <ref>`: the SHA, or undefined when ref names nothing.
 * --absolute-git-dir is there only so git always prints a line: simple-git waits an extra 50 ms
 * for any command that writes nothing at all, and these lookups run often.
 */
async function verifyRef(root: string, ref: string): Promise<GitResult<string | undefined>> {
  const parsed = await runGit(root, ['rev-parse', '--absolute-git-dir', '--verify', '--quiet', '--end-of-options', ref]);
  if (!parsed.ok) return parsed;
  if (parsed.value.exitCode > 1) return fail(`Could not look up ${ref} in ${root}: ${gitSaid(parsed.value)}`);
  const sha = parsed.value.stdout.split('\n')[1]?.trim();
  return ok(parsed.value.exitCode === 0 && sha ? sha : undefined);
}

export async function branchExists(root: string, name: string): Promise<GitResult<boolean>> {
  const found = await verifyRef(root, `refs/heads/${name}`);
  return found.ok ? ok(found.value !== undefined) : found;
}

/** The full 40-hex SHA of the commit `ref` names. */
export async function resolveCommit(root: string, ref: string): Promise<GitResult<string>> {
  const unknown = fail(`"${ref}" is not a known branch, tag or commit in ${root}`, 'Check the name with `git branch --all` or `git log`.', { kind: 'not-found' });
  if (ref === '' || ref.startsWith('-')) return unknown;
  const found = await verifyRef(root, `${ref}^{commit}`);
  if (!found.ok) return found;
  return found.value === undefined ? unknown : ok(found.value);
}

/** Creates branch `name` at `startPoint`; returns the commit it points at. Never moves an existing branch. */
export async function createBranch(root: string, name: string, startPoint: string): Promise<GitResult<string>> {
  const valid = await checkBranchName(root, name);
  if (!valid.ok) return valid;
  const exists = await branchExists(root, name);
  if (!exists.ok) return exists;
  if (exists.value) return fail(`Branch ${name} already exists in ${root}`, 'Use the existing branch, or choose another name.', { kind: 'exists' });
  const start = await resolveCommit(root, startPoint);
  if (!start.ok) return start;
  return createBranchAtCommit(root, name, start.value);
}

/**
 * Creates branch `name` at the commit `sha`, for callers that have already checked the name and
 * resolved the start. The SHA, not a name: what was checked is what is created (and no upstream
 * is set up behind the user's back). git refuses atomically if another process created it meanwhile.
 */
export async function createBranchAtCommit(root: string, name: string, sha: string): Promise<GitResult<string>> {
  const created = await runGit(root, ['branch', '--no-track', '--', name, sha]);
  if (!created.ok) return created;
  if (created.value.exitCode !== 0) return fail(`Could not create branch ${name} in ${root}: ${gitSaid(created.value)}`);
  return ok(sha);
}

/**
 * Deletes branch `name`; returns the commit it pointed at (to recreate it: `git branch <name> <sha>`).
 * Without force git refuses a branch not merged into the checkout's HEAD; that refusal comes back as
 * a failure. Note git judges "merged" by ancestry, so a squash-merged branch needs force.
 * `expectedTip`: refuse when the branch no longer points there (work added since the caller judged it).
 */
export async function deleteBranch(root: string, name: string, options: { force: boolean; expectedTip?: string }): Promise<GitResult<string>> {
  const tip = await resolveCommit(root, `refs/heads/${name}`);
  if (!tip.ok) return fail(`There is no branch ${name} in ${root}`, 'Check the name with `git branch`.', { kind: 'not-found' });
  if (options.expectedTip !== undefined && tip.value !== options.expectedTip) {
    return fail(`Refused to delete branch ${name} in ${root}: it moved to ${tip.value.slice(0, 7)} since it was checked`, 'Run the command again to judge it as it is now.', {
      kind: 'refused',
    });
  }
  const deleted = await runGit(root, ['branch', options.force ? '-D' : '-d', '--', name]);
  if (!deleted.ok) return deleted;
  if (deleted.value.exitCode !== 0) {
    const said = gitSaid(deleted.value);
    const hint = /not fully merged/.test(said)
      ? `Merge ${name} first, or delete it with force (its unmerged commits, ending at ${tip.value}, would then only be reachable by SHA).`
      : /checked out/.test(said)
        ? 'Remove that worktree or switch it to another branch first.'
        : undefined;
    return fail(`Refused to delete branch ${name} in ${root}: ${said}`, hint);
  }
  return ok(tip.value);
}

/** Path of the worktree that has `name` checked out, or undefined when none has. */
export async function branchCheckedOutAt(root: string, name: string): Promise<GitResult<string | undefined>> {
  const worktrees = await listWorktrees(root);
  if (!worktrees.ok) return worktrees;
  return ok(worktrees.value.find((entry) => entry.branch === name)?.path);
}
