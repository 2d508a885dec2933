import type { ExecutorContext } from '@nx/devkit';
import { statusCommand } from '../../commands/status';
import { planOfProject } from '../shared/plan-of-project';
import type { StatusExecutorSchema } from './schema';

export default async function statusExecutor(options: StatusExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const plan = planOfProject(context);
  const result = await statusCommand(context.root, plan, options);
  (result.success ? console.log : console.error)(result.output);
  return { success: result.success };
}
