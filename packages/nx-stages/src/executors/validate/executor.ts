import type { ExecutorContext } from '@nx/devkit';
import { validateCommand } from '../../commands/validate';
import { planFolderOf } from '../shared/plan-of-project';
import type { ValidateExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function validateExecutor(options: ValidateExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  // The checklist is the report even when it fails: stdout (or the --outputFile).
  return reported(await validateCommand(context.root, planFolderOf(context)), context, options);
}
