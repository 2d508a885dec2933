import type { ExecutorContext } from '@nx/devkit';
import { conflictsCommand } from '../../commands/conflicts';
import { planOfProject } from '../shared/plan-of-project';
import type { ConflictsExecutorSchema } from './schema';
import { printReport, wantsJson } from '../shared/print-report';

export default async function conflictsExecutor(options: ConflictsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const plan = planOfProject(context);
  const result = await conflictsCommand(context.root, plan, { ...options, json: wantsJson(options) });
  // A forecast that finds conflicts is still the report (stdout, so `--json` pipes cleanly); only errors go to stderr.
  printReport(result.output, context, result.forecastMade ? options : {}, result.forecastMade === true);
  return { success: result.success };
}
