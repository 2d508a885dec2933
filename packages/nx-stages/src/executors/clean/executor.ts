import type { ExecutorContext } from '@nx/devkit';
import { cleanStagesCommand } from '../../commands/clean';
import { planOfProject } from '../shared/plan-of-project';
import type { CleanExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function cleanExecutor(options: CleanExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const plan = planOfProject(context);
  // What clean kept is the report (stdout) even when it fails the run.
  return reported(await cleanStagesCommand(context.root, plan, options), context);
}
