import type { ExecutorContext } from '@nx/devkit';
import { validateCommand } from '../../commands/validate';
import { planFolderOf } from '../shared/plan-of-project';
import type { ValidateExecutorSchema } from './schema';
import { printReport, wantsJson } from '../shared/print-report';

export default async function validateExecutor(options: ValidateExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const result = await validateCommand(context.root, planFolderOf(context), { ...options, json: wantsJson(options) });
  printReport(result.output, context, options, true);
  return { success: result.success };
}
