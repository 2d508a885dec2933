import { parallelGroups } from '../core/graph';
import type { Plan, Stage } from '../core/model';
import { done, failed, type Outcome } from '../core/outcome';
import { readyStages } from '../core/ready';
import { renderTable } from '../core/table';
import { openRepository } from '../git/repository';
import { resolveBase } from './resolve-base';
import { stageFacts } from './stage-facts';

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
  const facts = await stageFacts(repository.value, plan, base.value);
  if (!facts.ok) return failed(facts);
  const ready = readyStages(plan.stages, facts.value);
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
