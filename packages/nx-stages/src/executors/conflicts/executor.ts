import type { ExecutorContext } from '@nx/devkit';
import { conflictsCommand } from '../../commands/conflicts';
import { planOfProject } from '../shared/plan-of-project';
import type { ConflictsExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function conflictsExecutor(options: ConflictsExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const plan = planOfProject(context);
  // A forecast that finds conflicts is still the report (stdout, so `--json` pipes cleanly); only errors go to stderr.
  return reported(await conflictsCommand(context.root, plan, { base: options.base, fetch: options.fetch, uncommitted: options.uncommitted }), context, options);
}
