import type { ExecutorContext } from '@nx/devkit';
import { runGatesCommand } from '../../commands/run-gates';
import { stageOfProject } from '../shared/stage-of-project';
import type { GatesExecutorSchema } from './schema';

/** Nx's default when neither --parallel nor nx.json says otherwise. */
const NX_DEFAULT_PARALLEL = 3;

export default async function gatesExecutor(options: GatesExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const result = await runGatesCommand(context.root, plan, stage, {
    ...options,
    concurrentStages: concurrentGates(context),
    log: options.json ? (line) => console.error(line) : (line) => console.log(line),
  });
  if (options.json && result.result) console.log(JSON.stringify(result.result, null, 2));
  (result.success ? console.log : console.error)(result.output);
  return { success: result.success };
}

/**
 * How many stages' gates this Nx run may execute at once: the gates tasks in its task graph,
 * capped by Nx's parallelism. Used to split the cores between their inner Nx runs.
 */
function concurrentGates(context: ExecutorContext): number {
  const tasks = Object.values(context.taskGraph?.tasks ?? {}).filter((task) => task.target.target === context.targetName).length;
  const parallel = Number(process.env.NX_PARALLEL) || Number(context.nxJsonConfiguration?.parallel) || NX_DEFAULT_PARALLEL;
  return Math.max(1, Math.min(tasks || 1, parallel));
}
