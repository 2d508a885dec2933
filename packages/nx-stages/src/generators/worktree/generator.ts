import { logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { relative } from 'node:path';
import { loadPlan } from '../../core/load-plan';
import { stageBranch, stageWorktreePath } from '../../core/worktree-layout';
import { createWorktree } from '../../commands/create-worktree';
import { checkPlanFolder, treePlanSource } from '../shared/tree-plan-source';
import { typedText } from '../shared/typed-text';
import type { WorktreeGeneratorSchema } from './schema';

/**
 * Everything outside the file tree (branch, worktree, links) happens in the callback, which Nx
 * skips on --dry-run: a dry run prints the plan and touches nothing.
 */
export async function worktreeGenerator(tree: Tree, options: WorktreeGeneratorSchema): Promise<GeneratorCallback> {
  const id = typedText(options.id, undefined) ?? '';
  const plan = loadPlan(treePlanSource(tree), checkPlanFolder(options.plan));
  const stage = plan.stages.find((candidate) => candidate.id === id);
  if (!stage) {
    const known = plan.stages.map((candidate) => candidate.id).join(', ') || 'none yet';
    throw new Error(`No stage ${JSON.stringify(id)} in ${plan.settings.file} (stages: ${known}). Create it with \`nx g nx-stages:stage\`.`);
  }
  const path = stageWorktreePath(plan.settings, id, tree.root);
  logger.info(
    `Stage ${id} (${stage.name}): branch ${stageBranch(plan.settings, id)}, worktree ${relative(tree.root, path)}` +
      `, dependencies: ${options.dependencies ?? plan.settings.dependencies}${options.stack ? ', stacked on unmerged dependencies' : ''}`,
  );
  return async () => {
    const created = await createWorktree(tree.root, plan, id, {
      base: options.base, stack: options.stack, dependencies: options.dependencies, log: (line) => logger.info(`  ✔ ${line}`),
    });
    logger.info(`\nStage ${id} is ready on port ${created.port}:  cd "${created.path}"   (or: cd "$(npx nx-stages go ${id})")`);
  };
}

export default worktreeGenerator;
