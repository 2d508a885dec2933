import type { CreateNodesContextV2, CreateNodesResult, CreateNodesV2 } from '@nx/devkit';
import { dirname } from 'node:path/posix';
import type * as Validate from '../core/validate';
import type { Plan } from '../core/model';
import { loadPlanForNodes, saveDiskCache } from './cached-plan';
import { nxDevkit } from './devkit';
import { planProjects } from './plan-nodes';

export type StagesPluginOptions = Record<string, never>;

export const PLAN_GLOB = '**/stages.yaml';

/** One plan file (`stages.yaml`) gives the plan project and one project per stage folder beside it. */
export const createNodesV2: CreateNodesV2<StagesPluginOptions> = [
  PLAN_GLOB,
  async (planFiles, options, context) => {
    try {
      // What Nx's createNodesFromFiles does, without loading @nx/devkit (see devkit.ts) ...
      const nodesContext = { ...context, configFiles: planFiles };
      return planFiles.map((planFile, index) => [planFile, createPlanNodes(planFile, options ?? {}, nodesContext, index)] as const);
    } catch {
      // ... until a plan file fails: then Nx's helper, so the failure is reported against its file as Nx expects.
      return await nxDevkit().createNodesFromFiles(createPlanNodes, planFiles, options ?? {}, context);
    } finally {
      saveDiskCache(context.workspaceRoot);
    }
  },
];

function createPlanNodes(planFile: string, _options: StagesPluginOptions | undefined, context: CreateNodesContextV2, _index?: number): CreateNodesResult {
  const plan = loadPlanForNodes(context.workspaceRoot, dirname(planFile));
  warnAboutLeftOutStages(plan);
  return { projects: planProjects(plan) };
}

/**
 * A broken stage file must not stop Nx: the stage is left out and the user is told where.
 * Only problems that change what Nx sees are printed here; `validate` shows the whole checklist.
 */
function warnAboutLeftOutStages(plan: Plan): void {
  const blocking = plan.problems.filter((problem) => problem.severity === 'error');
  if (blocking.length === 0) return;
  const { logger } = nxDevkit();
  // Only a plan with problems needs validate's words: not loaded for every Nx command.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatProblem } = require('../core/validate') as typeof Validate;
  logger.warn(`nx-stages: ${plan.settings.file} has problems; affected stages are left out of the graph:`);
  for (const problem of blocking) logger.warn(`  ${formatProblem(problem)}`);
  logger.warn(`  Run \`nx run ${plan.settings.name}:validate\` for the full checklist.`);
}
