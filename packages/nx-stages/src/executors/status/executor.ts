import type { ExecutorContext } from '@nx/devkit';
import { statusCommand } from '../../commands/status';
import { planOfProject } from '../shared/plan-of-project';
import type { StatusExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function statusExecutor(options: StatusExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const plan = planOfProject(context);
  return reported(await statusCommand(context.root, plan, { by: options.by, fetch: options.fetch, resources: options.resources }), context, options);
}
