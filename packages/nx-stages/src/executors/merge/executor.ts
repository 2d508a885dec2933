import type { ExecutorContext } from '@nx/devkit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mergeQueueCommand } from '../../commands/merge-queue';
import { stageProjectName } from '../../core/ids';
import type { Plan } from '../../core/model';
import { PLAN_FILE } from '../../core/plan-files';
import { planOfProject } from '../shared/plan-of-project';
import { stageOfProject } from '../shared/stage-of-project';
import type { MergeExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

/**
 * `nx run stages:merge` is the merge queue; `nx run stage-<id>:merge` merges one stage. Both go
 * through the queue, so `nx run-many -t merge` merges in the plan's merge order and not in Nx's:
 * each stage's task (one at a time: parallelism false) first merges the stages of this run that
 * the queue puts ahead of it, then itself, and fails without merging when one ahead is refused.
 */
export default async function mergeExecutor(options: MergeExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const log = (line: string) => console.log(line);
  if (isPlanProject(context)) return reported(await mergeQueueCommand(context.root, planOfProject(context), options, log), context);
  const { plan, stage } = stageOfProject(context);
  return reported(await mergeQueueCommand(context.root, plan, { ...options, only: stagesMergedInThisRun(context, plan), upTo: stage.id }, log), context);
}

function isPlanProject(context: ExecutorContext): boolean {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  return project !== undefined && existsSync(join(context.root, project.root, PLAN_FILE));
}

/** The stages whose merge task is in this run's task graph; every stage when the plan's own merge task is too. */
function stagesMergedInThisRun(context: ExecutorContext, plan: Plan): string[] | undefined {
  const projects = new Set(
    Object.values(context.taskGraph?.tasks ?? {})
      .filter((task) => task.target.target === context.targetName)
      .map((task) => task.target.project),
  );
  if (projects.has(plan.settings.name)) return undefined;
  return plan.stages.filter((stage) => projects.has(stageProjectName(stage.id))).map((stage) => stage.id);
}
