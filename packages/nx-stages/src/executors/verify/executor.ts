import type { ExecutorContext } from '@nx/devkit';
import { verifyCommand } from '../../commands/verify';
import { stageOfProject } from '../shared/stage-of-project';
import type { VerifyExecutorSchema } from './schema';
import { reported, wantsJson } from '../shared/print-report';

export default async function verifyExecutor(options: VerifyExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { plan, stage } = stageOfProject(context);
  const json = wantsJson(options);
  const outcome = await verifyCommand(context.root, plan, stage, { remeasure: options.remeasure, log: (line) => (json ? console.error : console.log)(line) });
  // With --json the document is the answer, valid or not.
  return reported(outcome, context, options);
}
