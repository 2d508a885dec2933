import { DEPENDENCY_SETUPS, type DependencySetup, type Plan } from '../core/model';
import { done, failed, refuse, type Outcome } from '../core/outcome';
import { createWorktree, type CreatedWorktree, type CreateWorktreeOptions } from './create-worktree';
import { describeWorktree } from './describe-worktree';

export interface WorktreeCommandOptions extends Omit<CreateWorktreeOptions, 'log' | 'dependencies'> {
  /** As typed on the command line: checked here. */
  dependencies?: string;
  dryRun?: boolean;
}

/** What `worktree` made, or with --dry-run what it would make. */
export type WorktreeData = CreatedWorktree | { dryRun: true; id: string; branch: string; path: string };

/**
 * `npx nx-stages worktree <id>`: what `nx g nx-stages:worktree` does, without Nx's start-up and
 * project graph (seconds in a large workspace), for scripts and agents. Progress goes to
 * `progress` (stderr); the text is only the new worktree's path, so
 * `cd "$(npx nx-stages worktree 9.1)"` works. A dry run shows the plan as progress and its text is empty.
 */
export async function worktreeCommand(root: string, plan: Plan, id: string, options: WorktreeCommandOptions, progress: (line: string) => void): Promise<Outcome<WorktreeData>> {
  const { dependencies } = options;
  if (dependencies !== undefined && !DEPENDENCY_SETUPS.includes(dependencies as DependencySetup)) {
    return refuse('invalid-input', `--dependencies must be one of ${DEPENDENCY_SETUPS.join(', ')}, not ${JSON.stringify(dependencies)}; nothing was created`);
  }
  const checked = { ...options, dependencies: dependencies as DependencySetup | undefined };
  const described = await describeWorktree(root, plan, id, checked);
  if (!described.ok || !described.data) return failed(described.failure!);
  progress(described.text);
  if (options.dryRun) {
    progress('Dry run: nothing was created.');
    return done('', { dryRun: true, ...described.data });
  }
  const created = await createWorktree(root, plan, id, { ...checked, log: (line) => progress(`  ✔ ${line}`) });
  if (!created.ok || !created.data) return created;
  progress(`Stage ${id} is ready on port ${created.data.port}.`);
  return created;
}
