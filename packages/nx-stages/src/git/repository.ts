import { existsSync } from 'node:fs';
import { runGit, gitSaid } from './run';
import { fail, ok, type GitResult } from './result';

export interface Repository {
  /** Top folder of the checkout (main worktree or linked worktree) containing cwd. */
  root: string;
  /** The git folder shared by all worktrees of the repository (absolute). */
  commonDir: string;
  /** This checkout's own git folder (differs from commonDir in a linked worktree). */
  gitDir: string;
  /** Short branch name; undefined when HEAD is detached. */
  branch?: string;
  /** Commit SHA of HEAD. */
  head: string;
}

/** Finds the repository and checkout containing `cwd`. */
export async function openRepository(cwd: string): Promise<GitResult<Repository>> {
  if (!existsSync(cwd)) return fail(`${cwd} does not exist`, 'Run the command from inside a git checkout.', { kind: 'not-found' });
  const where = await runGit(cwd, ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir', '--absolute-git-dir']);
  if (!where.ok) return where;
  if (where.value.exitCode !== 0) {
    const said = gitSaid(where.value);
    if (/not a git repository/i.test(said)) {
      return fail(`${cwd} is not inside a git repository`, 'Run the command from a git checkout, or create one with `git init` and a first commit.', { kind: 'not-a-repository' });
    }
    if (/must be run in a work tree/i.test(said)) {
      return fail(`${cwd} is not inside a working tree (bare repository or .git folder)`, 'Run the command from a checkout of the repository.', { kind: 'not-a-repository' });
    }
    return fail(`Could not read the repository at ${cwd}: ${said}`);
  }
  const [root, commonDir, gitDir] = where.value.stdout.split('\n');
  if (!root || !commonDir || !gitDir) return fail(`Unexpected answer from git rev-parse in ${cwd}: ${where.value.stdout}`);

  const symbolic = await runGit(root, ['symbolic-ref', '--quiet', 'HEAD']);
  if (!symbolic.ok) return symbolic;
  // Exit 1 = detached HEAD. The full ref is stripped here rather than with --short, which may
  // answer "heads/x" when a tag has the same name.
  if (symbolic.value.exitCode > 1) return fail(`Could not read HEAD in ${root}: ${gitSaid(symbolic.value)}`);
  const ref = symbolic.value.exitCode === 0 ? symbolic.value.stdout.trim() : undefined;
  const branch = ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;

  const commit = await runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!commit.ok) return commit;
  if (commit.value.exitCode !== 0) {
    return fail(`The repository at ${root} has no commits yet${branch ? ` (branch ${branch} is unborn)` : ''}`, 'Create a first commit (git add + git commit), then try again.', {
      kind: 'not-a-repository',
    });
  }
  return ok({ root, commonDir, gitDir, ...(branch === undefined ? {} : { branch }), head: commit.value.stdout.trim() });
}

/**
 * The branch stages start from and merge into: origin/HEAD's target (when that branch exists
 * locally), else init.defaultBranch, else main, else master — each only if the branch exists.
 */
export async function detectBaseBranch(root: string): Promise<GitResult<string>> {
  // Independent reads, at once: each git call is a process start.
  const [remoteHead, configured] = await Promise.all([
    runGit(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD']),
    runGit(root, ['config', '--get', 'init.defaultBranch']),
  ]);
  if (!remoteHead.ok) return remoteHead;
  if (remoteHead.value.exitCode > 1) return fail(`Could not read origin/HEAD in ${root}: ${gitSaid(remoteHead.value)}`);
  const remoteTarget = remoteHead.value.stdout.trim().replace(/^refs\/remotes\/origin\//, '');
  if (!configured.ok) return configured;
  // git config --get: exit 1 = not set.
  if (configured.value.exitCode > 1) return fail(`Could not read init.defaultBranch in ${root}: ${gitSaid(configured.value)}`);

  const candidates: string[] = [];
  if (remoteHead.value.exitCode === 0 && remoteTarget) candidates.push(remoteTarget);
  if (configured.value.exitCode === 0 && configured.value.stdout.trim()) candidates.push(configured.value.stdout.trim());
  candidates.push('main', 'master');
  // One for-each-ref for all candidates. Its patterns also match below a slash (and as globs),
  // so only exact names count.
  const listed = await runGit(root, ['for-each-ref', '--format=%(refname)', ...candidates.map((candidate) => `refs/heads/${candidate}`)]);
  if (!listed.ok) return listed;
  if (listed.value.exitCode !== 0) return fail(`Could not list the branches of ${root}: ${gitSaid(listed.value)}`);
  const existing = new Set(listed.value.stdout.split('\n').map((line) => line.trim()));
  const found = candidates.find((candidate) => existing.has(`refs/heads/${candidate}`));
  if (found !== undefined) return ok(found);
  const remoteNote =
    remoteTarget && remoteHead.value.exitCode === 0
      ? ` origin/HEAD points to ${remoteTarget}, which has no local branch (create it with \`git branch ${remoteTarget} origin/${remoteTarget}\`).`
      : '';
  return fail(
    `Could not detect the base branch of ${root}: none of ${[...new Set(candidates)].join(', ')} exists as a local branch.${remoteNote}`,
    'Set baseBranch in stages/stages.yaml, e.g. `baseBranch: develop`.',
  );
}

/** Names of the repository's configured remotes (`git remote`). */
export async function remoteNames(root: string): Promise<GitResult<string[]>> {
  const listed = await runGit(root, ['remote']);
  if (!listed.ok) return listed;
  if (listed.value.exitCode !== 0) return fail(`Could not list the remotes of ${root}: ${gitSaid(listed.value)}`);
  return ok(
    listed.value.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
}

/** The checkout's own git folder, absolute (a linked worktree's `<common dir>/worktrees/<name>`). */
export async function gitDirOf(dir: string): Promise<GitResult<string>> {
  const found = await runGit(dir, ['rev-parse', '--absolute-git-dir']);
  if (!found.ok) return found;
  if (found.value.exitCode !== 0) return fail(`${dir} is not a git checkout: ${gitSaid(found.value)}`);
  return ok(found.value.stdout.trim());
}
