import type { ExecutorContext } from '@nx/devkit';
import { writeProofCommand } from '../../commands/proof';
import { stageOfProject } from '../shared/stage-of-project';
import type { ProofExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function proofExecutor(options: ProofExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  return reported(await writeProofCommand(context.root, plan, stage, options), context);
}
