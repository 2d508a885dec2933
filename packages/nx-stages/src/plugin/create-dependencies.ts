import { DependencyType, type CreateDependencies, type RawProjectGraphDependency } from '@nx/devkit';
import { stageProjectName } from '../core/ids';
import { loadPlanCached } from './cached-plan';
import { PLAN_TAG } from './plan-nodes';
import type { StagesPluginOptions } from './create-nodes';

/** Graph edges from `dependsOn`: stage → the stages it depends on, declared in its stage.yaml. */
export const createDependencies: CreateDependencies<StagesPluginOptions> = (_options, context) => {
  const dependencies: RawProjectGraphDependency[] = [];
  for (const project of Object.values(context.projects)) {
    if (!project.tags?.includes(PLAN_TAG)) continue;
    const plan = loadPlanCached(context.workspaceRoot, project.root);
    for (const stage of plan.stages) {
      const source = stageProjectName(stage.id);
      // context.projects is keyed by project name.
      if (!context.projects[source]) continue;
      const declaredIn = context.fileMap.projectFileMap[source]?.some((file) => file.file === stage.file);
      for (const dependency of new Set(stage.dependsOn)) {
        const target = stageProjectName(dependency);
        if (target === source || !context.projects[target]) continue;
        dependencies.push(declaredIn ? { source, target, type: DependencyType.static, sourceFile: stage.file } : { source, target, type: DependencyType.implicit });
      }
    }
  }
  return dependencies;
};
