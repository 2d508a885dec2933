import type { ExecutorContext } from '@nx/devkit';
import { writeProofCommand } from '../../commands/write-proof';
import { stageOfProject } from '../shared/stage-of-project';
import type { ProofExecutorSchema } from './schema';

export default async function proofExecutor(options: ProofExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const result = await writeProofCommand(context.root, plan, stage, options);
  (result.success ? console.log : console.error)(result.output);
  return { success: result.success };
}
