import type { Plan } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { countCommits } from '../git/merged';
import { branchCopiesOf, fetchRemote, lastFetched, remoteBranchTips, resolveRemote, type BranchCopies } from '../git/remote';
import { openRepository, type Repository } from '../git/repository';
import { ok, type GitResult } from '../git/result';
import type { RemoteRefs } from '../git/stage-merged';

export interface TeamView {
  /** The remote in use; undefined = local only (`remote: none`, or no remote at all). */
  remote?: string;
  /** ISO time of the last fetch. */
  fetchedAt?: string;
  /** Each stage branch's local and remote copies. */
  copies: Map<string, BranchCopies>;
  /** What ahead/behind is counted against: the remote's base when it contains the local one, else the local base. */
  countBase: string;
  remoteRef: (branch: string) => string;
  /** The remote refs a stage is also judged merged against. */
  refsOf: (branch: string) => RemoteRefs;
}

/**
 * The stage branches as the team has them: the plan's remote (`remote` in stages.yaml), fetched
 * first only when asked (`--fetch`), then every stage branch's local and remote copy. The base
 * counted against is the newer of the two: a teammate's merge already on the remote counts, and
 * so do one's own merges not pushed yet.
 */
export async function teamView(
  repository: Pick<Repository, 'root' | 'commonDir'>,
  plan: Plan,
  base: string,
  branches: readonly string[],
  options: { fetch?: boolean },
): Promise<GitResult<TeamView>> {
  const { root } = repository;
  const remote = await resolveRemote(root, plan.settings.remote, plan.settings.file);
  if (!remote.ok) return remote;
  const name = remote.value;
  if (name && options.fetch) {
    const fetched = await fetchRemote(root, name);
    if (!fetched.ok) return fetched;
  }
  const copies = await branchCopiesOf(root, branches, name);
  if (!copies.ok) return copies;
  const remoteRef = (branch: string) => `refs/remotes/${name}/${branch}`;
  if (!name) return ok({ copies: copies.value, countBase: base, remoteRef, refsOf: () => ({}) });
  const tips = await remoteBranchTips(root, name);
  if (!tips.ok) return tips;
  const remoteBase = tips.value.has(base) ? remoteRef(base) : undefined;
  const countBase = remoteBase ? await newerBase(root, base, remoteBase) : ok(base);
  if (!countBase.ok) return countBase;
  const fetchedAt = lastFetched(repository.commonDir);
  return ok({
    remote: name,
    ...(fetchedAt ? { fetchedAt } : {}),
    copies: copies.value,
    countBase: countBase.value,
    remoteRef,
    refsOf: (branch) => ({ ...(remoteBase ? { base: remoteBase } : {}), ...(tips.value.has(branch) ? { branch: remoteRef(branch) } : {}) }),
  });
}

async function newerBase(root: string, base: string, remoteBase: string): Promise<GitResult<string>> {
  const localOnly = await countCommits(root, remoteBase, base);
  if (!localOnly.ok) return localOnly;
  return ok(localOnly.value === 0 ? remoteBase : base);
}

/**
 * `refs/remotes/<remote>/<branch>` when only the remote has the branch (a teammate's stage, as
 * last fetched); undefined when there is a local branch, no remote, or the remote lacks it too.
 */
export async function remoteOnlyRef(root: string, plan: Plan, branch: string): Promise<string | undefined> {
  const repository = await openRepository(root);
  if (!repository.ok) return undefined;
  const refs = await teamRefs(repository.value, plan, '', [branch]);
  return refs.ok ? refs.value.remoteOnly(branch) : undefined;
}

/**
 * What merge needs of the team: the remote refs each stage is judged merged against, and the
 * remote copy of a stage only the remote has. Local only (no remote): no refs, no copies.
 */
export async function teamRefs(
  repository: Pick<Repository, 'root' | 'commonDir'>,
  plan: Plan,
  base: string,
  branches: readonly string[] = plan.stages.map((stage) => stageBranch(plan.settings, stage.id)),
): Promise<GitResult<{ refsOf: TeamView['refsOf']; remoteOnly: (branch: string) => string | undefined }>> {
  const view = await teamView(repository, plan, base, branches, {});
  if (!view.ok) return view;
  const remoteOnly = (branch: string) => (view.value.remote && view.value.copies.get(branch)?.relation === 'remote-only' ? view.value.remoteRef(branch) : undefined);
  return ok({ refsOf: view.value.refsOf, remoteOnly });
}
