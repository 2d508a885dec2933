import { relative } from 'node:path';
import type { Plan } from '../core/model';
import { stageBranch, stageWorktreePath } from '../core/worktree-layout';
import { listWorktrees, mainCheckout } from '../git/worktree-list';
import { findStage, type CreateWorktreeOptions } from './create-worktree';

/**
 * The one-line plan of `worktree <id>` (what --dry-run shows): branch, folder relative to where
 * the user is, dependency mode. The folder is beside the main checkout, as createWorktree puts it,
 * also when asked from a stage worktree; outside git, beside `workspaceRoot`.
 */
export async function describeWorktree(workspaceRoot: string, plan: Plan, id: string, options: Pick<CreateWorktreeOptions, 'stack' | 'dependencies'>): Promise<string> {
  const stage = findStage(plan, id);
  const listed = await listWorktrees(workspaceRoot);
  const root = (listed.ok ? mainCheckout(listed.value) : undefined) ?? workspaceRoot;
  const path = stageWorktreePath(plan.settings, id, root);
  return (
    `Stage ${id} (${stage.name}): branch ${stageBranch(plan.settings, id)}, worktree ${relative(workspaceRoot, path)}` +
    `, dependencies: ${options.dependencies ?? plan.settings.dependencies}${options.stack ? ', stacked on unmerged dependencies' : ''}`
  );
}
