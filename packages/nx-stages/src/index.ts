import type { NxPluginV2 } from '@nx/devkit';
import { createDependencies } from './plugin/create-dependencies';
import { createNodesV2, type StagesPluginOptions } from './plugin/create-nodes';
import { postTasksExecution } from './plugin/task-results-hook';

export { createDependencies, createNodesV2, postTasksExecution, type StagesPluginOptions };
/** Nx 22+ reads the batched signature under either name. */
export const createNodes = createNodesV2;

export const name = 'nx-stages';

const plugin: NxPluginV2<StagesPluginOptions> = { name, createNodes, createNodesV2, createDependencies, postTasksExecution };
export default plugin;
