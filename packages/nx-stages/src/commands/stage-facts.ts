import type { Plan } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import type { Repository } from '../git/repository';
import { ok, type GitResult } from '../git/result';
import { stageMergedForTeam } from '../git/stage-merged';
import { teamView } from './team-view';

export interface StageFacts {
  /** Stages whose work is in the base, locally or on the remote (merged on the forge counts). */
  merged: Set<string>;
  /** Stages with a branch here or on the remote (a teammate's counts as started). */
  started: Set<string>;
}

/** What ready and the merge queue decide on, for every stage, as the team has it (last fetch). */
export async function stageFacts(repository: Pick<Repository, 'root' | 'commonDir'>, plan: Plan, base: string): Promise<GitResult<StageFacts>> {
  const branches = new Map(plan.stages.map((stage) => [stage.id, stageBranch(plan.settings, stage.id)]));
  const team = await teamView(repository, plan, base, [...branches.values()], {});
  if (!team.ok) return team;
  const facts: StageFacts = { merged: new Set(), started: new Set() };
  for (const [id, branch] of branches) {
    const copy = team.value.copies.get(branch);
    if (copy?.local || copy?.remote) facts.started.add(id);
    const merged = await stageMergedForTeam(repository.root, { id, branch }, base, team.value.refsOf(branch));
    if (!merged.ok) return merged;
    if (merged.value) facts.merged.add(id);
  }
  return ok(facts);
}
