import type { ExecutorContext } from '@nx/devkit';
import { cleanCommand } from '../../commands/clean';
import { planOfProject } from '../shared/plan-of-project';
import type { CleanExecutorSchema } from './schema';
import { printed } from '../shared/print-report';

export default async function cleanExecutor(options: CleanExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const plan = planOfProject(context);
  const result = await cleanCommand(context.root, plan, options);
  return printed(result);
}
