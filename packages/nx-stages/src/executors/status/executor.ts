import type { ExecutorContext } from '@nx/devkit';
import { statusCommand } from '../../commands/status';
import { planOfProject } from '../shared/plan-of-project';
import type { StatusExecutorSchema } from './schema';
import { printReport, wantsJson } from '../shared/print-report';

export default async function statusExecutor(options: StatusExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const plan = planOfProject(context);
  const result = await statusCommand(context.root, plan, { ...options, json: wantsJson(options) });
  printReport(result.output, context, result.success ? options : {}, result.success);
  return { success: result.success };
}
