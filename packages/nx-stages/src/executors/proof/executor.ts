import type { ExecutorContext } from '@nx/devkit';
import { writeProofCommand } from '../../commands/proof';
import { stageOfProject } from '../shared/stage-of-project';
import type { ProofExecutorSchema } from './schema';
import { printed } from '../shared/print-report';

export default async function proofExecutor(options: ProofExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const result = await writeProofCommand(context.root, plan, stage, options);
  return printed(result);
}
