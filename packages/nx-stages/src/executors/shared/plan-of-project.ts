import type { ExecutorContext } from '@nx/devkit';
import type { Plan } from '../../core/model';
import { loadCommandPlan } from '../../io/command-plan';

/** Folder of the plan project running this target. */
export function planFolderOf(context: ExecutorContext): string {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  if (!project) throw new Error('nx-stages: this target must run on a plan project (the one inferred from stages.yaml).');
  return project.root;
}

/** The plan of the plan project running this target; throws when its settings have errors (validate's lines). */
export function planOfProject(context: ExecutorContext): Plan {
  return loadCommandPlan(context.root, planFolderOf(context));
}
