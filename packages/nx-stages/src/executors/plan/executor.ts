import type { ExecutorContext } from '@nx/devkit';
import { writePlanCommand } from '../../commands/write-plan';
import { planFolderOf } from '../shared/plan-of-project';
import type { PlanExecutorSchema } from './schema';

export default async function planExecutor(options: PlanExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const result = writePlanCommand(context.root, planFolderOf(context), options);
  (result.success ? console.log : console.error)(result.output);
  return { success: result.success };
}
