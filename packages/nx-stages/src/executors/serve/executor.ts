import type { ExecutorContext } from '@nx/devkit';
import { serveCommand } from '../../commands/serve';
import { reported } from '../shared/print-report';
import { stageOfProject } from '../shared/stage-of-project';
import type { ServeExecutorSchema } from './schema';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export default async function serveExecutor(options: ServeExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  // The server runs in a process group of its own, which Ctrl+C in a terminal does not reach:
  // the signal that stops this task stops that group, and the task ends once the group is gone.
  const controller = new AbortController();
  const stop = () => controller.abort();
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  try {
    const outcome = await serveCommand(context.root, plan, stage.id, options, {
      signal: controller.signal,
      onStart: (server, how) =>
        console.error(
          `nx-stages: serving stage ${server.stage} from ${server.worktree}: nx ${how.args.join(' ')} (pid ${server.pid}) on ${server.url}` +
            (how.passing.flag ? '' : ` — PORT=${server.port} in its environment only: ${how.passing.why}`),
        ),
    });
    return reported(outcome, context);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  }
}
