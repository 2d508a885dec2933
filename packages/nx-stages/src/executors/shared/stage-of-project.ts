import type { ExecutorContext } from '@nx/devkit';
import { dirname } from 'node:path/posix';
import type { Plan, Stage } from '../../core/model';
import { loadCommandPlan } from '../../io/command-plan';

/**
 * The stage (and its plan) whose project runs this target: its folder is a sub-folder of the plan.
 * Throws when the plan's settings have errors: a target never runs on defaults put in their place.
 */
export function stageOfProject(context: ExecutorContext): { plan: Plan; stage: Stage } {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  if (!project) throw new Error('nx-stages: this target must run on a stage project (stage-<id>).');
  const plan = loadCommandPlan(context.root, dirname(project.root));
  const stage = plan.stages.find((candidate) => candidate.folder === project.root);
  if (!stage) throw new Error(`nx-stages: ${project.root}/stage.yaml is not a valid stage; run validate to see why.`);
  return { plan, stage };
}
