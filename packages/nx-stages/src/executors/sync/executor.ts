import type { ExecutorContext } from '@nx/devkit';
import { syncStageCommand } from '../../commands/sync';
import { stageOfProject } from '../shared/stage-of-project';
import type { SyncExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function syncExecutor(options: SyncExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const outcome = await syncStageCommand(context.root, plan, stage.id, options);
  return reported(outcome, context);
}
