import { logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { createWorktree } from '../../commands/create-worktree';
import { describeWorktree } from '../../commands/describe-worktree';
import { checkPlanFolder, loadTreeCommandPlan } from '../shared/tree-plan-source';
import { typedText } from '../shared/typed-text';
import type { WorktreeGeneratorSchema } from './schema';

/**
 * Everything outside the file tree (branch, worktree, links) happens in the callback, which Nx
 * skips on --dry-run: a dry run prints the plan and touches nothing.
 */
export async function worktreeGenerator(tree: Tree, options: WorktreeGeneratorSchema): Promise<GeneratorCallback> {
  const id = typedText(options.id, undefined) ?? '';
  const plan = loadTreeCommandPlan(tree, checkPlanFolder(options.plan));
  logger.info(await describeWorktree(tree.root, plan, id, options));
  return async () => {
    const created = await createWorktree(tree.root, plan, id, {
      base: options.base,
      stack: options.stack,
      dependencies: options.dependencies,
      log: (line) => logger.info(`  ✔ ${line}`),
    });
    logger.info(`\nStage ${id} is ready on port ${created.port}:  cd "${created.path}"   (or: cd "$(npx nx-stages go ${id})")`);
  };
}

export default worktreeGenerator;
