import type { Plan } from '../core/model';
import { done, failed, refuse, type Failure, type Outcome } from '../core/outcome';
import { stageBranch } from '../core/worktree-layout';
import { resolveCommit } from '../git/branch';
import { ignoredEntries } from '../git/ignored';
import { interruptedBy } from '../git/interrupts';
import { changedFiles } from '../git/merge-tree';
import { countCommits } from '../git/merged';
import { openRepository, type Repository } from '../git/repository';
import { ok, type GitResult } from '../git/result';
import { teamView } from './team-view';
import { listWorktrees, mainCheckout } from '../git/worktree-list';
import { ALREADY_MATCH, commandLine, dependencyFiles, refreshDependencies, worktreeInstallCommand } from '../io/dependencies';
import { samePath } from '../git/paths';
import { guardedIntegration, journaledCheckout } from './guarded-integration';
import { resolveBase } from './resolve-base';
import { saidBy } from './said-by';
import { stageBranchRefusal } from './stage-branch-check';

export interface SyncOptions {
  /** merge (default) or rebase; anything else is refused (the bin passes what was typed). */
  strategy?: string;
  base?: string;
  /** Refresh the worktree's dependencies from the main checkout even when the sync changed no lock file. */
  refreshDependencies?: boolean;
  /** Fetch the plan's remote first (never done implicitly). */
  fetch?: boolean;
}

export interface SyncData {
  id: string;
  branch: string;
  base: string;
  /** Only when the remote's copy of the base was brought in, being newer: its name (`origin/main`). */
  from?: string;
  /** Commits that remote base has and the local base lacks. */
  newerBy?: number;
  /** What the sync did: brought the base in, found nothing to bring, or found no worktree (not started). */
  result: 'merged' | 'rebased' | 'up-to-date' | 'no-worktree';
  /** The branch's new head, when the sync changed it. */
  head?: string;
  /** The dependency refresh, when the sync changed a lock file or package.json or it was asked for. */
  dependencies?: { refreshed: boolean; summary: string };
}

/** What the dependency half of a sync did: a line that stands, or the failure of the refresh. */
type DependencyRefresh = { ok: true; line: string } | { ok: false; failure: Failure };

/**
 * Brings the base branch into a stage branch, in the stage's worktree. A conflict aborts: the
 * branch and worktree are left exactly as they were and the files are named — never resolved
 * automatically. One operation per stage at a time (lock), so `run-many -t sync` is safe.
 *
 * When the sync brings a change to a lock file or a package.json (or `refreshDependencies` asks),
 * the worktree's dependencies are made to match the main checkout's again, as the plan's
 * `dependencies` says (see io/dependencies.ts). A sync that fails refreshes nothing.
 * Ctrl+C (SIGINT/SIGTERM) aborts the merge/rebase before exiting; one left half-done by a killed
 * call is found and undone by the next sync (see guarded-integration.ts), and said in a note.
 */
export async function syncStageCommand(root: string, plan: Plan, id: string, options: SyncOptions = {}): Promise<Outcome<SyncData>> {
  const { strategy = 'merge' } = options;
  if (strategy !== 'merge' && strategy !== 'rebase') return refuse('invalid-input', `--strategy takes merge or rebase, not ${JSON.stringify(strategy)}`, 'Nothing was changed.');
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const base = await resolveBase(repository.value.root, plan.settings, options.base);
  if (!base.ok) return failed(saidBy(`Sync of stage ${id} refused: `, base));
  const branch = stageBranch(plan.settings, id);
  const unsafe = await stageBranchRefusal(repository.value.root, plan, id, base.value);
  if (unsafe) return failed(saidBy(`Sync of stage ${id} refused: `, unsafe));
  const source = await syncSource(repository.value, plan, base.value, branch, options.fetch === true);
  if (!source.ok) return failed(saidBy(`Sync of stage ${id} refused: `, source));
  const worktrees = await listWorktrees(repository.value.root);
  if (!worktrees.ok) return failed(worktrees);
  const interrupted = await journaledCheckout(repository.value.commonDir, `stage-${id}`);
  const worktree = worktrees.value.find((entry) => entry.branch === branch) ?? worktrees.value.find((entry) => interrupted !== undefined && samePath(entry.path, interrupted));
  const { ref: fromRef, shown: from, newerBy } = source.value;
  const data = { id, branch, base: base.value, ...(newerBy ? { from, newerBy } : {}) };
  // `run-many -t sync` covers stages not started yet: for them there is nothing to do.
  if (!worktree) {
    return done(`Stage ${id} has no worktree yet: nothing to sync (create it with \`nx g nx-stages:worktree ${id}\`).`, { ...data, result: 'no-worktree' as const });
  }

  const main = mainCheckout(worktrees.value) ?? repository.value.root;
  const guarded = await guardedIntegration(repository.value.commonDir, `stage-${id}`, 'sync', async (integrate) => {
    const before = await resolveCommit(worktree.path, 'HEAD');
    const result = await integrate(worktree.path, fromRef, strategy, `Merge ${from} into ${branch}`);
    if (!result.ok) return { result };
    // Changes that could not be listed must not pass for "no dependency change": refresh to be sure.
    const brought = !result.value.changed ? undefined : before.ok ? await changedFiles(worktree.path, before.value, result.value.head) : before;
    const touched = brought === undefined ? [] : brought.ok ? dependencyFiles(brought.value) : ['(changes could not be listed)'];
    if (touched.length === 0 && !options.refreshDependencies) return { result };
    return { result, dependencies: await syncDependencies(main, worktree.path, plan, id, touched) };
  });
  const notes = guarded.repaired ? [guarded.repaired] : [];
  if (guarded.interruptedBefore || !guarded.outcome) {
    const signal = guarded.interruptedBefore ?? 'a signal';
    return failed({ kind: 'interrupted', message: `Sync of stage ${id} interrupted (${signal}) before anything was changed`, interrupted: signal }, { notes });
  }
  const { result, dependencies } = guarded.outcome;
  const notRefreshed = options.refreshDependencies ? ' Dependencies were not refreshed.' : '';
  if (!result.ok && result.interrupted) {
    return failed({ ...result, message: `Sync of stage ${id} interrupted: ${result.message}`, hint: notRefreshed.trim() || undefined }, { notes });
  }
  if (!result.ok) {
    // The message names the files and says nothing changed; the hint is what to do.
    const how = strategy === 'rebase' ? `git rebase ${from}` : `git merge ${from}`;
    const hint = result.conflicts?.length
      ? `Resolve it by hand in ${worktree.path} (${how}), then run sync again.`
      : result.kind === 'dirty'
        ? 'Commit or stash them, then run sync again.'
        : (result.hint ?? '');
    return failed({ ...result, message: `Sync of stage ${id} stopped: ${result.message}`, hint: `${hint}${notRefreshed}`.trim() || undefined }, { notes });
  }
  const synced = {
    ...data,
    result: result.value.changed ? (strategy === 'rebase' ? ('rebased' as const) : ('merged' as const)) : ('up-to-date' as const),
    ...(result.value.changed ? { head: result.value.head } : {}),
  };
  // The remote's base, when it is newer: said, since the local base branch stays where it is.
  const brought = newerBy ? `${from} (${newerBy} ${newerBy === 1 ? 'commit' : 'commits'} newer than ${base.value})` : from;
  const did = !newerBy
    ? `${strategy === 'rebase' ? 'rebased' : 'merged'} ${from} into ${branch}`
    : strategy === 'rebase'
      ? `rebased ${branch} onto ${brought}`
      : `brought ${brought} into ${branch}`;
  const line = result.value.changed ? `Stage ${id}: ${did} (now ${result.value.head.slice(0, 7)})` : `Stage ${id}: ${branch} is up to date with ${brought}`;
  if (!dependencies) return done(line, synced, notes);
  if (!dependencies.ok) {
    // The sync itself stands; only the refresh failed. The line saying so goes beside the failure.
    return failed(dependencies.failure, { notes: [...notes, line], data: { ...synced, dependencies: { refreshed: false, summary: dependencies.failure.message } } });
  }
  return done(`${line}\n${dependencies.line}`, { ...synced, dependencies: { refreshed: true, summary: dependencies.line } }, notes);
}

/**
 * What the sync brings in: the base, or — when the plan has a remote (fetched first on `fetch`)
 * and the remote's copy of the base has commits the local one lacks and contains it — the
 * remote's copy, read from `refs/remotes/<remote>/<base>`. The local base branch is never moved.
 */
async function syncSource(repository: Repository, plan: Plan, base: string, branch: string, fetch: boolean): Promise<GitResult<{ ref: string; shown: string; newerBy?: number }>> {
  const team = await teamView(repository, plan, base, [branch], { fetch });
  if (!team.ok) return team;
  const { countBase } = team.value;
  if (countBase === base) return ok({ ref: base, shown: base });
  const newer = await countCommits(repository.root, base, countBase);
  if (!newer.ok) return newer;
  if (newer.value === 0) return ok({ ref: base, shown: base });
  return ok({ ref: countBase, shown: countBase.slice('refs/remotes/'.length), newerBy: newer.value });
}

/**
 * The dependency half of a sync that succeeded: `touched` = the lock files and package.json files
 * it changed (empty when asked with refreshDependencies). Fails only when the refresh fails.
 */
async function syncDependencies(main: string, worktree: string, plan: Plan, id: string, touched: readonly string[]): Promise<DependencyRefresh> {
  const mode = plan.settings.dependencies;
  const why = touched.length > 0 ? `this sync changed ${touched.join(', ')}` : 'asked with --refreshDependencies';
  const again = `nx run stage-${id}:sync --refreshDependencies`;
  const cannot = (message: string): DependencyRefresh => {
    // A Ctrl+C during the install: the sync stands, the refresh is to be run again.
    const signal = interruptedBy();
    return {
      ok: false,
      failure: signal
        ? { kind: 'interrupted', message: `${message} (interrupted by ${signal})`, hint: `Run \`${again}\`.`, interrupted: signal }
        : { kind: 'unexpected', message, hint: `Fix that, then run \`${again}\`.` },
    };
  };
  if (mode === 'none' && touched.length > 0) {
    const install = await worktreeInstallCommand(worktree);
    return {
      ok: true,
      line: `Stage ${id}: dependencies may be stale: ${why}, and ${plan.settings.file} says dependencies: none. Run \`${commandLine(install)}\` in ${worktree}.`,
    };
  }
  try {
    const ignored = mode === 'link' ? await ignoredEntries(main) : undefined;
    if (ignored && !ignored.ok) return cannot(`Stage ${id}: the sync succeeded, but its dependencies could not be refreshed (${why}): ${ignored.message}`);
    const refreshed = await refreshDependencies(main, worktree, mode, ignored?.value);
    let line = `Stage ${id}: ${refreshed.summary} (${why})`;
    if (mode === 'link' && touched.length > 0 && refreshed.summary.startsWith(ALREADY_MATCH)) {
      line += `. If the main checkout has not installed since its lock file changed, install there (${main}), then run \`${again}\``;
    }
    return { ok: true, line: `${line}.` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return cannot(`Stage ${id}: the sync succeeded, but its dependencies could not be refreshed (${why}): ${message.replace(/\.$/, '')}`);
  }
}
