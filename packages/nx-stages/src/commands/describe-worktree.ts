import { relative } from 'node:path';
import type { Plan } from '../core/model';
import { done, type Outcome } from '../core/outcome';
import { stageBranch, stageWorktreePath } from '../core/worktree-layout';
import { listWorktrees, mainCheckout } from '../git/worktree-list';
import type { CreateWorktreeOptions } from './create-worktree';
import { unknownStage } from './unknown-stage';

/**
 * The one-line plan of `worktree <id>` (what --dry-run shows): branch, folder relative to where
 * the user is, dependency mode. The folder is beside the main checkout, as createWorktree puts it,
 * also when asked from a stage worktree; outside git, beside `workspaceRoot`.
 */
export async function describeWorktree(
  workspaceRoot: string,
  plan: Plan,
  id: string,
  options: Pick<CreateWorktreeOptions, 'stack' | 'dependencies'>,
): Promise<Outcome<{ id: string; branch: string; path: string }>> {
  const stage = plan.stages.find((candidate) => candidate.id === id);
  if (!stage) return unknownStage(plan, id);
  const listed = await listWorktrees(workspaceRoot);
  const root = (listed.ok ? mainCheckout(listed.value) : undefined) ?? workspaceRoot;
  const path = stageWorktreePath(plan.settings, id, root);
  const branch = stageBranch(plan.settings, id);
  return done(
    `Stage ${id} (${stage.name}): branch ${branch}, worktree ${relative(workspaceRoot, path)}` +
      `, dependencies: ${options.dependencies ?? plan.settings.dependencies}${options.stack ? ', stacked on unmerged dependencies' : ''}`,
    { id, branch, path },
  );
}
