import { branchExists } from './branch';
import { countCommits, mergedInto } from './merged';
import { remoteBranchMerged } from './remote-merged';
import { ok, type GitResult } from './result';
import { gitText } from './run';
import { mergeSubjectPrefix } from '../core/conventions';

/**
 * Whether a stage's work is in `base`. Judged by what the base contains, never by a commit's
 * title alone (anyone can write an empty commit called "Merge Stage 1: …"):
 * - its branch exists: its content is in base (squash merge, rebase-and-merge), or it is an
 *   ancestor of base and has commits of its own (its reflog records a commit). A branch that only
 *   moved by fast-forwarding to the base (a sync with no work yet) is an ancestor too, but it is
 *   a stage not started, not a merged one;
 * - its branch is gone (`clean --deleteBranch`): base holds a merge commit titled
 *   "Merge Stage <id>: …" that really merged something — its second parent is not already in its
 *   first parent's history.
 */
export async function stageMerged(root: string, stage: { id: string; branch: string }, base: string): Promise<GitResult<boolean>> {
  const exists = await branchExists(root, stage.branch);
  if (!exists.ok) return exists;
  if (!exists.value) return mergeCommitBroughtWork(root, stage.id, base);
  const merged = await mergedInto(root, stage.branch, base);
  if (!merged.ok || merged.value !== 'ancestor') return merged.ok ? ok(merged.value === 'content') : merged;
  const work = await hasOwnCommits(root, stage.branch);
  // Without a reflog (a branch fetched from elsewhere) ancestry is all we know.
  return ok(work ?? true);
}

/** Whether base has an nx-stages merge commit of stage `id` whose second parent brought commits its first parent lacked. */
async function mergeCommitBroughtWork(root: string, id: string, base: string): Promise<GitResult<boolean>> {
  const subject = mergeSubjectPrefix(id);
  // --grep narrows the search (the subject is then checked exactly: --grep matches the body too).
  // Counted first because a stage not started has none, and rev-list --count always prints:
  // simple-git waits 50 ms longer for a command that prints nothing.
  const search = ['--merges', '--fixed-strings', `--grep=${subject}`, base, '--'];
  const counted = await gitText(root, ['rev-list', '--count', ...search]);
  if (!counted.ok) return counted;
  if (counted.value.trim() === '0') return ok(false);
  const listed = await gitText(root, ['log', '--format=%P%x09%s', ...search]);
  if (!listed.ok) return listed;
  for (const line of listed.value.split('\n')) {
    const tab = line.indexOf('\t');
    const [first, second] = line.slice(0, tab).split(' ');
    if (tab === -1 || !line.slice(tab + 1).startsWith(subject) || !first || !second) continue;
    const brought = await countCommits(root, first, second);
    if (!brought.ok) return brought;
    if (brought.value > 0) return ok(true);
  }
  return ok(false);
}

/** Whether the branch's reflog records work done on it; undefined when it has no reflog. */
async function hasOwnCommits(root: string, branch: string): Promise<boolean | undefined> {
  const reflog = await gitText(root, ['reflog', 'show', '--format=%gs', `refs/heads/${branch}`, '--']);
  if (!reflog.ok || reflog.value.trim() === '') return undefined;
  // "commit: …", "commit (amend): …", "commit (merge): …", "cherry-pick: …", "revert: …",
  // "rebase (pick): …": each made a commit on this branch. "merge main: Fast-forward" did not.
  return reflog.value.split('\n').some((subject) => /^(commit( \([^)]*\))?|cherry-pick|revert|rebase( -i)? \((pick|reword|edit|squash|fixup)\)):/.test(subject));
}

/** The remote-tracking refs a stage is also judged against when the plan works with a remote. */
export interface RemoteRefs {
  /** `refs/remotes/<remote>/<base>`, when the remote has the base. */
  base?: string;
  /** `refs/remotes/<remote>/<stage branch>`, when the remote has the stage's branch. */
  branch?: string;
}

/**
 * Merged for the team: into the local base, or into the remote's base (merged on the forge and
 * not pulled yet). A branch only the remote has is judged by content and history
 * (git/remote-merged): there is no reflog here to tell its work from a fast-forward.
 */
export async function stageMergedForTeam(root: string, stage: { id: string; branch: string }, base: string, remote: RemoteRefs): Promise<GitResult<boolean>> {
  const local = await stageMerged(root, stage, base);
  if (!local.ok || local.value || (!remote.base && !remote.branch)) return local;
  const exists = await branchExists(root, stage.branch);
  if (!exists.ok) return exists;
  if (exists.value || !remote.branch) return remote.base ? stageMerged(root, stage, remote.base) : ok(false);
  for (const into of [base, remote.base]) {
    if (!into) continue;
    const judged = await remoteBranchMerged(root, remote.branch, into);
    if (!judged.ok) return judged;
    if (judged.value === 'merged') return ok(true);
  }
  return ok(false);
}
