import type { Plan } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { resolveCommit } from '../git/branch';
import { ignoredEntries } from '../git/ignored';
import { interruptedBy } from '../git/interrupts';
import { changedFiles } from '../git/merge-tree';
import { openRepository } from '../git/repository';
import { listWorktrees, mainCheckout } from '../git/worktree-list';
import { ALREADY_MATCH, commandLine, dependencyFiles, refreshDependencies, worktreeInstallCommand } from '../io/dependencies';
import { samePath } from '../git/paths';
import { guardedIntegration, journaledCheckout } from './guarded-integration';
import { resolveBase } from './resolve-base';
import { stageBranchRefusal } from './stage-branch-check';
import type { CommandResult } from './validate';
import { failureText } from '../core/outcome';

export interface SyncOptions {
  strategy?: 'merge' | 'rebase';
  base?: string;
  /** Refresh the worktree's dependencies from the main checkout even when the sync changed no lock file. */
  refreshDependencies?: boolean;
}

/**
 * Brings the base branch into a stage branch, in the stage's worktree. A conflict aborts: the
 * branch and worktree are left exactly as they were and the files are named — never resolved
 * automatically. One operation per stage at a time (lock), so `run-many -t sync` is safe.
 *
 * When the sync brings a change to a lock file or a package.json (or `refreshDependencies` asks),
 * the worktree's dependencies are made to match the main checkout's again, as the plan's
 * `dependencies` says (see io/dependencies.ts). A sync that fails refreshes nothing.
 * Ctrl+C (SIGINT/SIGTERM) aborts the merge/rebase before exiting; one left half-done by a killed
 * call is found and undone by the next sync (see guarded-integration.ts).
 */
export async function syncStageCommand(root: string, plan: Plan, id: string, options: SyncOptions = {}): Promise<CommandResult> {
  const fail = (output: string): CommandResult => ({ success: false, output });
  const repository = await openRepository(root);
  if (!repository.ok) return fail(repository.message);
  const base = await resolveBase(repository.value.root, plan.settings, options.base);
  if (!base.ok) return fail(`Sync of stage ${id} refused: ${failureText(base)}`);
  const branch = stageBranch(plan.settings, id);
  const unsafe = await stageBranchRefusal(repository.value.root, plan, id, base.value);
  if (unsafe) return fail(`Sync of stage ${id} refused: ${unsafe}`);
  const worktrees = await listWorktrees(repository.value.root);
  if (!worktrees.ok) return fail(worktrees.message);
  const interrupted = await journaledCheckout(repository.value.commonDir, `stage-${id}`);
  const worktree = worktrees.value.find((entry) => entry.branch === branch) ?? worktrees.value.find((entry) => interrupted !== undefined && samePath(entry.path, interrupted));
  // `run-many -t sync` covers stages not started yet: for them there is nothing to do.
  if (!worktree) return { success: true, output: `Stage ${id} has no worktree yet: nothing to sync (create it with \`nx g nx-stages:worktree ${id}\`).` };

  const strategy = options.strategy ?? 'merge';
  const main = mainCheckout(worktrees.value) ?? repository.value.root;
  const guarded = await guardedIntegration(repository.value.commonDir, `stage-${id}`, 'sync', async (integrate) => {
    const before = await resolveCommit(worktree.path, 'HEAD');
    const result = await integrate(worktree.path, base.value, strategy, `Merge ${base.value} into ${branch}`);
    if (!result.ok) return { result };
    // Changes that could not be listed must not pass for "no dependency change": refresh to be sure.
    const brought = !result.value.changed ? undefined : before.ok ? await changedFiles(worktree.path, before.value, result.value.head) : before;
    const touched = brought === undefined ? [] : brought.ok ? dependencyFiles(brought.value) : ['(changes could not be listed)'];
    if (touched.length === 0 && !options.refreshDependencies) return { result };
    const dependencies = await syncDependencies(main, worktree.path, plan, id, touched);
    // The sync itself stands; only the refresh was cut short.
    const signal = interruptedBy();
    if (signal && !dependencies.success) dependencies.output += ` (interrupted by ${signal}: run \`nx run stage-${id}:sync --refreshDependencies\`)`;
    return { result, dependencies };
  });
  const note = guarded.repaired ? `${guarded.repaired}\n` : '';
  if (guarded.interruptedBefore || !guarded.outcome) return fail(`${note}Sync of stage ${id} interrupted (${guarded.interruptedBefore}) before anything was changed.`);
  const outcome = guarded.outcome;
  const { result } = outcome;
  if (!result.ok && result.interrupted)
    return fail(`${note}Sync of stage ${id} interrupted: ${result.message}.${options.refreshDependencies ? ' Dependencies were not refreshed.' : ''}`);
  if (!result.ok) {
    // The message names the files and says nothing changed; the hint is what to do.
    const how = strategy === 'rebase' ? `git rebase ${base.value}` : `git merge ${base.value}`;
    return fail(
      `${note}Sync of stage ${id} stopped: ${result.message}.` +
        (result.conflicts?.length ? ` Resolve it by hand in ${worktree.path} (${how}), then run sync again.` : result.hint ? ` ${result.hint}` : '') +
        (options.refreshDependencies ? ' Dependencies were not refreshed.' : ''),
    );
  }
  const synced = result.value.changed
    ? `Stage ${id}: ${strategy === 'rebase' ? 'rebased' : 'merged'} ${base.value} into ${branch} (now ${result.value.head.slice(0, 7)})`
    : `Stage ${id}: ${branch} is up to date with ${base.value}`;
  if (!outcome.dependencies) return { success: true, output: `${note}${synced}` };
  return { success: outcome.dependencies.success, output: `${note}${synced}\n${outcome.dependencies.output}` };
}

/**
 * The dependency half of a sync that succeeded: `touched` = the lock files and package.json files
 * it changed (empty when asked with refreshDependencies). Fails only when an install fails.
 */
async function syncDependencies(main: string, worktree: string, plan: Plan, id: string, touched: readonly string[]): Promise<CommandResult> {
  const mode = plan.settings.dependencies;
  const why = touched.length > 0 ? `this sync changed ${touched.join(', ')}` : 'asked with --refreshDependencies';
  if (mode === 'none' && touched.length > 0) {
    const install = await worktreeInstallCommand(worktree);
    return {
      success: true,
      output: `Stage ${id}: dependencies may be stale: ${why}, and ${plan.settings.file} says dependencies: none. Run \`${commandLine(install)}\` in ${worktree}.`,
    };
  }
  try {
    const ignored = mode === 'link' ? await ignoredEntries(main) : undefined;
    if (ignored && !ignored.ok) return { success: false, output: `Stage ${id}: dependencies not refreshed (${why}): ${ignored.message}` };
    const refreshed = await refreshDependencies(main, worktree, mode, ignored?.value);
    let output = `Stage ${id}: ${refreshed.summary} (${why})`;
    if (mode === 'link' && touched.length > 0 && refreshed.summary.startsWith(ALREADY_MATCH)) {
      output += `. If the main checkout has not installed since its lock file changed, install there (${main}), then run \`nx run stage-${id}:sync --refreshDependencies\``;
    }
    return { success: true, output: `${output}.` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { success: false, output: `Stage ${id}: the sync succeeded, but its dependencies could not be refreshed (${why}): ${message}` };
  }
}
