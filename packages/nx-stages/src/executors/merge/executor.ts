import type { ExecutorContext } from '@nx/devkit';
import { mergeStageCommand } from '../../commands/merge';
import { stageOfProject } from '../shared/stage-of-project';
import type { MergeExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function mergeExecutor(options: MergeExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const outcome = await mergeStageCommand(context.root, plan, stage, options);
  return reported(outcome, context);
}
