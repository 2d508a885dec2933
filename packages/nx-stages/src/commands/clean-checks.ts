import { uncommittedChanges } from '../git/changes';
import { mergedInto } from '../git/merged';
import { shortRef } from '../git/remote';
import { gitDirOf } from '../git/repository';
import { editedSinceCreation } from '../io/creation-record';

/**
 * What removing a merged stage's worktree (and branch) would lose: uncommitted files, files
 * nx-stages wrote or copied at creation that a person edited since (a secret in `.env.local`),
 * commits on the branch that are not in the base. Empty = nothing is lost. --force overrides these;
 * nothing overrides the base-branch and checked-out rules in clean.ts.
 */
export async function reasonsToKeep(worktree: string | undefined, branch: string | undefined, root: string, base: string): Promise<string[]> {
  const reasons: string[] = [];
  if (worktree) {
    const changes = await uncommittedChanges(worktree);
    if (!changes.ok) reasons.push(`could not check for changes (${changes.message})`);
    else if (changes.value.length > 0)
      reasons.push(
        `${changes.value.length} uncommitted file${changes.value.length === 1 ? '' : 's'} (${changes.value.slice(0, 3).join(', ')}${changes.value.length > 3 ? ', …' : ''})`,
      );
    const edited = await editedReason(worktree);
    if (edited) reasons.push(edited);
  }
  if (branch) {
    const merged = await mergedInto(root, branch, base);
    if (!merged.ok) reasons.push(`could not compare with ${shortRef(base)} (${merged.message})`);
    else if (merged.value === false) reasons.push(`commits on ${branch} that are not in ${shortRef(base)}`);
  }
  return reasons;
}

/** Which files nx-stages wrote at creation were edited since; when that cannot be told, that keeps the worktree too. */
async function editedReason(worktree: string): Promise<string | undefined> {
  const gitDir = await gitDirOf(worktree);
  if (!gitDir.ok) return `could not find its git folder (${gitDir.message})`;
  try {
    const edited = await editedSinceCreation(gitDir.value, worktree);
    return edited.length > 0 ? `edited since nx-stages created the worktree: ${edited.join(', ')}` : undefined;
  } catch (error) {
    return `could not read what nx-stages wrote at creation (${error instanceof Error ? error.message : String(error)})`;
  }
}
