import { parallelGroups } from '../core/graph';
import type { Plan, Stage } from '../core/model';
import { done, failed, type Outcome } from '../core/outcome';
import { readyStages } from '../core/ready';
import { renderTable } from '../core/table';
import { stageBranch } from '../core/worktree-layout';
import { branchExists } from '../git/branch';
import { openRepository } from '../git/repository';
import { stageMerged } from '../git/stage-merged';
import { resolveBase } from './resolve-base';

export interface ListedStage {
  id: string;
  name: string;
  group: string | null;
  dependsOn: string[];
  assignee: string | null;
}

/** Every stage of the plan with its group and dependencies, from the plan alone (no git). */
export function listCommand(plan: Plan): Outcome<{ stages: ListedStage[] }> {
  const stages = listed(plan, plan.stages);
  if (stages.length === 0) return done(`no stages in ${plan.settings.file}'s plan`, { stages });
  return done(renderTable(['id', 'group', 'depends on', 'name'], stages.map(row)).join('\n'), { stages });
}

/** The stages someone can start now (core/ready.ts), from what git says of each branch. */
export async function readyCommand(root: string, plan: Plan): Promise<Outcome<{ base: string; stages: ListedStage[] }>> {
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings);
  if (!base.ok) return failed(base);
  const merged = new Set<string>();
  const started = new Set<string>();
  for (const stage of plan.stages) {
    const branch = stageBranch(plan.settings, stage.id);
    const [isMerged, exists] = await Promise.all([stageMerged(repoRoot, { id: stage.id, branch }, base.value), branchExists(repoRoot, branch)]);
    if (!isMerged.ok) return failed(isMerged);
    if (!exists.ok) return failed(exists);
    if (isMerged.value) merged.add(stage.id);
    if (exists.value) started.add(stage.id);
  }
  const ready = readyStages(plan.stages, { merged, started });
  const stages = listed(plan, ready);
  const data = { base: base.value, stages };
  if (stages.length === 0) return done(`no stage is ready to start (each is started, merged, or waits for a dependency to merge into ${base.value})`, data);
  return done([...renderTable(['id', 'group', 'depends on', 'name'], stages.map(row)), '', `start one: npx nx-stages worktree ${stages[0].id}`].join('\n'), data);
}

function listed(plan: Plan, stages: readonly Stage[]): ListedStage[] {
  const groups = parallelGroups(plan.stages);
  return stages.map((stage) => ({ id: stage.id, name: stage.name, group: groups.get(stage.id) ?? null, dependsOn: stage.dependsOn, assignee: stage.assignee ?? null }));
}

function row(stage: ListedStage): string[] {
  return [stage.id, stage.group ?? '-', stage.dependsOn.join(', ') || '-', stage.name];
}
