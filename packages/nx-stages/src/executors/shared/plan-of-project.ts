import type { ExecutorContext } from '@nx/devkit';

/** Folder of the plan project running this target. */
export function planFolderOf(context: ExecutorContext): string {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  if (!project) throw new Error('nx-stages: this target must run on a plan project (the one inferred from stages.yaml).');
  return project.root;
}
