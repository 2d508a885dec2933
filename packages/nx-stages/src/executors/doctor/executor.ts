import { createProjectGraphAsync, type ExecutorContext } from '@nx/devkit';
import { doctorCommand } from '../../commands/doctor';
import { testTargetsOfGraph } from '../../io/project-graph';
import { planFolderOf } from '../shared/plan-of-project';
import type { DoctorExecutorSchema } from './schema';
import { reported } from '../shared/print-report';

export default async function doctorExecutor(options: DoctorExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  // Nx hands executors the graph it already computed; older versions may not.
  const graph = context.projectGraph ?? (await createProjectGraphAsync());
  // The findings are the report even when they fail: stdout (or the --outputFile).
  return reported(await doctorCommand(context.root, planFolderOf(context), { testTargets: testTargetsOfGraph(graph) }), context, options);
}
