import type { ExecutorContext } from '@nx/devkit';
import { cleanCommand } from '../../commands/clean';
import { planOfProject } from '../shared/plan-of-project';
import type { CleanExecutorSchema } from './schema';

export default async function cleanExecutor(options: CleanExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const plan = planOfProject(context);
  const result = await cleanCommand(context.root, plan, options);
  (result.success ? console.log : console.error)(result.output);
  return { success: result.success };
}
