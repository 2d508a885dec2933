import type { ExecutorContext } from '@nx/devkit';
import { verifyCommand } from '../../commands/verify-proof';
import { stageOfProject } from '../shared/stage-of-project';
import type { VerifyExecutorSchema } from './schema';

export default async function verifyExecutor(options: VerifyExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const result = await verifyCommand(context.root, plan, stage, { ...options, log: (line) => (options.json ? console.error : console.log)(line) });
  (result.success ? console.log : console.error)(result.output);
  return { success: result.success };
}
