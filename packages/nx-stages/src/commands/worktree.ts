import { DEPENDENCY_SETUPS, type DependencySetup, type Plan } from '../core/model';
import { done, failed, refuse, type Outcome } from '../core/outcome';
import { ok, type GitResult } from '../git/result';
import { createWorktree, type CreatedWorktree, type CreateWorktreeOptions } from './create-worktree';
import { describeWorktree } from './describe-worktree';
import { afterLocal, publishBranch, pushTarget } from './push-target';

export interface WorktreeCommandOptions extends Omit<CreateWorktreeOptions, 'log' | 'dependencies'> {
  /** As typed on the command line: checked here. */
  dependencies?: string;
  dryRun?: boolean;
  /** Publish the new branch with upstream; undefined = `push:` of stages.yaml. */
  push?: boolean;
}

/** What `worktree` made, or with --dry-run what it would make. */
export type WorktreeData = (CreatedWorktree & { pushed?: string }) | { dryRun: true; id: string; branch: string; path: string; push?: string };

/**
 * `npx nx-stages worktree <id>`: what `nx g nx-stages:worktree` does, without Nx's start-up and
 * project graph (seconds in a large workspace), for scripts and agents. Progress goes to
 * `progress` (stderr); the text is only the new worktree's path, so
 * `cd "$(npx nx-stages worktree 9.1)"` works. A dry run shows the plan as progress and its text is empty.
 */
export async function worktreeCommand(root: string, plan: Plan, id: string, options: WorktreeCommandOptions, progress: (line: string) => void): Promise<Outcome<WorktreeData>> {
  const { dependencies, push, ...rest } = options;
  if (dependencies !== undefined && !DEPENDENCY_SETUPS.includes(dependencies as DependencySetup)) {
    return refuse('invalid-input', `--dependencies must be one of ${DEPENDENCY_SETUPS.join(', ')}, not ${JSON.stringify(dependencies)}; nothing was created`);
  }
  const checked = { ...rest, dependencies: dependencies as DependencySetup | undefined };
  const remote = await pushTarget(root, plan.settings, push);
  if (!remote.ok) return failed(remote);
  const described = await describeWorktree(root, plan, id, checked);
  if (!described.ok || !described.data) return failed(described.failure!);
  progress(described.text);
  if (options.dryRun) {
    progress(`Dry run: nothing was created${remote.value ? ` or pushed (would push ${described.data.branch} to ${remote.value})` : ''}.`);
    return done('', { dryRun: true, ...described.data, ...(remote.value ? { push: remote.value } : {}) });
  }
  const created = await createWorktree(root, plan, id, { ...checked, log: (line) => progress(`  ✔ ${line}`) });
  if (!created.ok || !created.data) return created;
  if (remote.value) {
    const published = await publishWorktreeBranch(root, remote.value, created.data);
    if (!published.ok) return failed(published, { data: created.data });
    progress(`  ✔ ${published.value}`);
  }
  progress(`Stage ${id} is ready on port ${created.data.port}.`);
  return remote.value ? done(created.text, { ...created.data, pushed: remote.value }, created.notes) : created;
}

/**
 * The new branch on the remote with upstream, so `git push` / `git pull` in the worktree know it.
 * A failure leaves the worktree made: it says so, and how to publish it by hand.
 */
export async function publishWorktreeBranch(root: string, remote: string, created: Pick<CreatedWorktree, 'path' | 'branch'>): Promise<GitResult<string>> {
  const pushed = await publishBranch(root, remote, created.branch, { upstream: true });
  if (!pushed.ok) return { ...afterLocal(`the worktree ${created.path} is made`, pushed), ok: false };
  return ok(`pushed ${created.branch} to ${remote} (upstream ${remote}/${created.branch})`);
}
