import type { ExecutorContext } from '@nx/devkit';
import { mergeStageCommand } from '../../commands/merge';
import { stageOfProject } from '../shared/stage-of-project';
import type { MergeExecutorSchema } from './schema';
import { printed } from '../shared/print-report';

export default async function mergeExecutor(options: MergeExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const result = await mergeStageCommand(context.root, plan, stage, options);
  return printed(result);
}
