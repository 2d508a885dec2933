import type { ExecutorContext } from '@nx/devkit';
import { validateCommand } from '../../commands/validate';
import { planFolderOf } from '../shared/plan-of-project';
import type { ValidateExecutorSchema } from './schema';

export default async function validateExecutor(options: ValidateExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const result = await validateCommand(context.root, planFolderOf(context), options);
  console.log(result.output);
  return { success: result.success };
}
