import type { ExecutorContext } from '@nx/devkit';
import { writePlanCommand } from '../../commands/plan';
import { planFolderOf } from '../shared/plan-of-project';
import type { PlanExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function planExecutor(options: PlanExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  return reported(writePlanCommand(context.root, planFolderOf(context), options), context);
}
