import type { ExecutorContext } from '@nx/devkit';
import { runGatesCommand, summaryBesideJson } from '../../commands/gates';
import { stageOfProject } from '../shared/stage-of-project';
import type { GatesExecutorSchema } from './schema';
import { reported, wantsJson } from '../shared/print-report';

/** Nx's default when neither --parallel nor nx.json says otherwise. */
const NX_DEFAULT_PARALLEL = 3;

export default async function gatesExecutor(options: GatesExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const concurrency = gatesConcurrency(options, context);
  const json = wantsJson(options);
  const log = json ? (line: string) => console.error(line) : (line: string) => console.log(line);
  if (concurrency.notice) log(concurrency.notice);
  const outcome = await runGatesCommand(context.root, plan, stage, {
    base: options.base,
    inPlace: options.inPlace,
    fastFail: options.fastFail,
    force: options.force,
    concurrentStages: concurrency.stages,
    // A single gates task: --parallel is its inner Nx's; in run-many it is Nx's own (how many stages at once).
    ...(concurrency.tasks === 1 && options.parallel ? { parallel: options.parallel } : {}),
    log,
  });
  return reported(json ? summaryBesideJson(outcome) : outcome, context, options);
}

/**
 * How many stages' gates this Nx run executes at once: the gates tasks in its task graph, capped
 * by Nx's parallelism (the CLI's --parallel reaches executors as an option and wins over nx.json).
 * When nx.json's `parallel: 1` makes several stages wait for each other, the first one says so.
 */
export function gatesConcurrency(options: GatesExecutorSchema, context: ExecutorContext): { stages: number; tasks: number; notice?: string } {
  const tasks = Object.values(context.taskGraph?.tasks ?? {}).filter((task) => task.target.target === context.targetName);
  const fromCli = tasks.length > 1 ? Number(options.parallel) || Number(process.env.NX_PARALLEL) : 0;
  const fromNxJson = Number(context.nxJsonConfiguration?.parallel);
  const parallel = fromCli || fromNxJson || NX_DEFAULT_PARALLEL;
  const stages = Math.max(1, Math.min(tasks.length || 1, parallel));
  const first = tasks.map((task) => task.id).sort()[0];
  const notice =
    tasks.length > 1 && !fromCli && fromNxJson === 1 && first === `${context.projectName}:${context.targetName}`
      ? `! nx.json sets "parallel": 1, so these ${tasks.length} stages' gates run one after another. To run them side by side: nx run-many -t ${context.targetName} --parallel=${Math.min(tasks.length, 3)}`
      : undefined;
  return { stages, tasks: tasks.length || 1, notice };
}
