import { logger, parseJson, type Tree } from '@nx/devkit';
import { basename, relative } from 'node:path';
import { stageBranch } from '../../core/worktree-layout';
import { openRepository } from '../../git/repository';
import { listWorktrees } from '../../git/worktree-list';
import { checkPlanFolder, loadTreeCommandPlan } from '../shared/tree-plan-source';
import type { VscodeGeneratorSchema } from './schema';

interface WorkspaceFolder {
  path: string;
  name: string;
}

/** A multi-root VS Code workspace: the main checkout first, then each stage worktree in plan order. */
export async function vscodeGenerator(tree: Tree, options: VscodeGeneratorSchema): Promise<void> {
  const file = options.file ?? 'stages.code-workspace';
  if (!file.endsWith('.code-workspace') || file.includes('..') || file.startsWith('/')) {
    throw new Error(`"${file}" must be a .code-workspace file inside the workspace.`);
  }
  const plan = loadTreeCommandPlan(tree, checkPlanFolder(options.plan));
  const repository = await openRepository(tree.root);
  if (!repository.ok) throw new Error(`${repository.message} ${repository.hint ?? ''}`.trim());
  const worktrees = await listWorktrees(repository.value.root);
  if (!worktrees.ok) throw new Error(worktrees.message);

  const folders: WorkspaceFolder[] = [{ path: '.', name: `${basename(tree.root)} (main)` }];
  for (const stage of plan.stages) {
    const worktree = worktrees.value.find((entry) => entry.branch === stageBranch(plan.settings, stage.id));
    if (worktree) folders.push({ path: relative(tree.root, worktree.path), name: `stage ${stage.id}: ${stage.name}` });
  }
  // Only `folders` is ours; settings, extensions and launch configurations the user added stay.
  const existing = tree.exists(file) ? (parseJson(tree.read(file, 'utf-8') ?? '{}') as Record<string, unknown>) : {};
  tree.write(file, `${JSON.stringify({ ...existing, folders }, null, 2)}\n`);
  logger.info(`${file}: the main checkout and ${folders.length - 1} stage worktree${folders.length === 2 ? '' : 's'}. Open it with \`code ${file}\`.`);
}

export default vscodeGenerator;
