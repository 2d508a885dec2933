import type { CreateDependencies, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { stageProjectName } from '../core/ids';
import { planOfNodes } from './cached-plan';
import { PLAN_TAG } from './plan-nodes';

// DependencyType's values, without loading @nx/devkit for an enum (see devkit.ts).
const STATIC = 'static' as DependencyType.static;
const IMPLICIT = 'implicit' as DependencyType.implicit;
import type { StagesPluginOptions } from './create-nodes';

/** Graph edges from `dependsOn`: stage → the stages it depends on, declared in its stage.yaml. */
export const createDependencies: CreateDependencies<StagesPluginOptions> = (_options, context) => {
  const dependencies: RawProjectGraphDependency[] = [];
  for (const project of Object.values(context.projects)) {
    if (!project.tags?.includes(PLAN_TAG)) continue;
    const plan = planOfNodes(context.workspaceRoot, project.root);
    for (const stage of plan.stages) {
      const source = stageProjectName(stage.id);
      // context.projects is keyed by project name.
      if (!context.projects[source]) continue;
      const declaredIn = context.fileMap.projectFileMap[source]?.some((file) => file.file === stage.file);
      for (const dependency of new Set(stage.dependsOn)) {
        const target = stageProjectName(dependency);
        if (target === source || !context.projects[target]) continue;
        dependencies.push(declaredIn ? { source, target, type: STATIC, sourceFile: stage.file } : { source, target, type: IMPLICIT });
      }
    }
  }
  return dependencies;
};
