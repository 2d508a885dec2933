import type { ExecutorContext } from '@nx/devkit';
import { mergeStageCommand } from '../../commands/merge-stage';
import { stageOfProject } from '../shared/stage-of-project';
import type { MergeExecutorSchema } from './schema';

export default async function mergeExecutor(options: MergeExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const result = await mergeStageCommand(context.root, plan, stage, options);
  (result.success ? console.log : console.error)(result.output);
  return { success: result.success };
}
