import type { Plan } from '../core/model';
import type { Failure } from '../core/outcome';
import { stageBranch, unsafeBranchReason } from '../core/worktree-layout';
import { remoteNames } from '../git/repository';

/**
 * Why the stage's branch must not be touched against this base, or undefined: `validate` refuses
 * such a plan too, but it judges the base it detects; a verb judges the base it is about to use
 * (`--base`, another checkout's default), so `worktree`, `sync` and `merge` ask again first.
 */
export async function stageBranchRefusal(repoRoot: string, plan: Plan, id: string, base: string): Promise<Failure | undefined> {
  const branch = stageBranch(plan.settings, id);
  const remotes = await remoteNames(repoRoot);
  const reason = unsafeBranchReason(branch, { base, remotes: remotes.ok ? remotes.value : [] });
  if (!reason) return undefined;
  return {
    kind: 'refused',
    message: `stage ${id}'s branch "${branch}" ${reason}; nothing was changed`,
    hint: `Change branchPattern in ${plan.settings.file} (e.g. stage-{id}) or give the stage another id.`,
  };
}
