import { existsSync } from 'node:fs';
import { resolveCommit } from './branch';
import { uncommittedChanges } from './changes';
import { undoIntegration, type IntegrationRecord } from './half-done';
import { interruptedBy } from './interrupts';
import { countCommits } from './merged';
import { openRepository } from './repository';
import { fail, ok, type GitFailure, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';

export type IntegrateStrategy = 'merge' | 'rebase';
export type Integrated = { changed: false } | { changed: true; head: string };

/** Operations git leaves half-done; we must neither start on top of one nor abort one we did not start. */
const IN_PROGRESS = ['MERGE_HEAD', 'rebase-merge', 'rebase-apply', 'CHERRY_PICK_HEAD', 'REVERT_HEAD'] as const;

/**
 * Brings `fromRef` into the branch checked out in `worktreeDir` (merge, or rebase onto it).
 * Refuses a dirty checkout, a detached HEAD, or one with an operation in progress. On any failure
 * — conflicts above all — the merge/rebase is aborted and the checkout verified to be exactly as
 * before; conflicts are listed, never resolved (no -X ours/theirs, no rerere auto-staging).
 * Not locked here: callers that may integrate into the same checkout concurrently use withLock.
 *
 * Interruptible (see interrupts.ts): a SIGINT/SIGTERM while git runs stops it and undoes the
 * merge/rebase — even one git had just completed — and the failure carries `interrupted`.
 * `onStart` is called right before git starts changing the checkout (to journal it).
 */
export async function integrate(
  worktreeDir: string,
  fromRef: string,
  strategy: IntegrateStrategy,
  message?: string,
  /** Always record a merge commit, even when a fast-forward would do (stage merges into the base). */
  noFastForward = false,
  onStart?: (record: IntegrationRecord) => Promise<void>,
): Promise<GitResult<Integrated>> {
  const repo = await openRepository(worktreeDir);
  if (!repo.ok) return repo;
  const { root, branch, head: before } = repo.value;
  if (branch === undefined) {
    return fail(`${root} has a detached HEAD (${before}); there is no branch to bring ${fromRef} into`, 'Check out the stage branch first: git switch <branch>.', {
      kind: 'refused',
    });
  }

  const pending = await operationsInProgress(root);
  if (!pending.ok) return pending;
  if (pending.value.length > 0) {
    return fail(`${root} is in the middle of another operation (${pending.value.join(', ')})`, 'Finish or abort it first (git merge --abort, git rebase --abort, …).', {
      kind: 'busy',
    });
  }
  const dirty = await uncommittedChanges(root);
  if (!dirty.ok) return dirty;
  if (dirty.value.length > 0) {
    return fail(`${root} has uncommitted changes: ${dirty.value.join(', ')}`, `Commit or stash them, then bring ${fromRef} in again.`, { files: dirty.value });
  }

  const from = await resolveCommit(root, fromRef);
  if (!from.ok) return from;
  const missing = await countCommits(root, before, from.value);
  if (!missing.ok) return missing;
  if (missing.value === 0) return ok({ changed: false }); // fromRef is already in the branch's history

  // --ff / --no-autostash / --no-update-refs: the same result whatever merge.ff, merge.autoStash or
  // rebase.updateRefs the user configured. --end-of-options: fromRef cannot be read as an option.
  const command =
    strategy === 'merge'
      ? ['merge', '--no-edit', noFastForward ? '--no-ff' : '--ff', '--no-autostash', '--no-rerere-autoupdate', ...(message ? ['-m', message] : []), '--end-of-options', fromRef]
      : ['rebase', '--no-autostash', '--no-update-refs', '--no-rerere-autoupdate', '--end-of-options', fromRef];
  const record: IntegrationRecord = { checkout: root, branch, before, from: from.value, strategy, ...(message && strategy === 'merge' ? { message } : {}) };
  await onStart?.(record);
  // Checked after the journal is written and right before git starts: no await in between.
  const early = interruptedBy();
  if (early) return fail(`Interrupted (${early}) before the ${strategy} of ${fromRef} into ${branch} started: ${root} is unchanged`, undefined, { interrupted: early });
  const ran = await runGit(root, command);
  // Killed or interrupted, git may have left anything from nothing to a finished merge.
  const signal = interruptedBy();
  if (!ran.ok || ran.value.exitCode !== 0 || signal) return abortAndReport(record, fromRef, ran.ok ? gitSaid(ran.value) : ran.message, signal);

  const after = await resolveCommit(root, 'HEAD');
  if (!after.ok) return after;
  return ok(after.value === before ? { changed: false } : { changed: true, head: after.value });
}

async function operationsInProgress(root: string): Promise<GitResult<string[]>> {
  const paths = await gitText(root, ['rev-parse', '--path-format=absolute', ...IN_PROGRESS.flatMap((name) => ['--git-path', name])]);
  if (!paths.ok) return paths;
  const found = paths.value.split('\n').map((line, index) => (line && existsSync(line) ? IN_PROGRESS[index] : undefined));
  return ok(found.filter((name): name is (typeof IN_PROGRESS)[number] => name !== undefined));
}

async function abortAndReport(record: IntegrationRecord, fromRef: string, gitOutput: string, signal: string | undefined): Promise<GitFailure> {
  const { checkout: root, branch, before, strategy } = record;
  const unmerged = await gitText(root, ['diff', '--name-only', '--diff-filter=U', '-z']);
  const conflicts = unmerged.ok ? unmerged.value.split('\0').filter(Boolean) : [];
  if (!unmerged.ok) gitOutput = `${gitOutput} (listing conflicted files failed: ${unmerged.message})`;
  const interrupted = signal ? { interrupted: signal } : {};

  const undone = await undoIntegration(record, signal ? 'undo' : 'keep');
  if (!undone.ok) {
    return fail(
      `${strategy} of ${fromRef} into ${branch} ${signal ? `was interrupted (${signal})` : 'failed'}, and undoing it failed: ${undone.message}`,
      `Inspect ${root} with git status; the branch was at ${before}.`,
      { conflicts, ...interrupted },
    );
  }
  const restored = await verifyRestored(root, branch, before);
  if (!restored.ok) return { ...restored, conflicts, ...interrupted };

  const verb = strategy === 'merge' ? `Merging ${fromRef} into ${branch}` : `Rebasing ${branch} onto ${fromRef}`;
  if (signal) {
    const what = undone.value === 'untouched' ? 'git had not changed anything yet' : `the ${strategy} was undone`;
    const short = /^[0-9a-f]{40}$/.test(fromRef) ? fromRef.slice(0, 7) : fromRef;
    const doing = strategy === 'merge' ? `Merging ${short} into ${branch}` : `Rebasing ${branch} onto ${short}`;
    return fail(`${doing} was interrupted (${signal}): ${what}; ${root} is exactly as before`, undefined, { interrupted: signal });
  }
  if (conflicts.length > 0) {
    return fail(
      // No closing stop: callers end the sentence (every GitResult message is a clause).
      `${verb} conflicts in ${conflicts.join(', ')}; it was aborted and ${root} is exactly as before`,
      `Resolve by hand: in ${root} run git ${strategy} ${fromRef}, fix the files, then continue. Nothing was resolved automatically.`,
      { conflicts },
    );
  }
  return fail(`${verb} failed: ${gitOutput}. ${root} is as before.`);
}

/** After an abort: same branch, same commit, nothing uncommitted — or a loud failure. */
async function verifyRestored(root: string, branch: string, before: string): Promise<GitResult<void>> {
  const repo = await openRepository(root);
  if (!repo.ok) return repo;
  const changes = await uncommittedChanges(root);
  if (!changes.ok) return changes;
  if (repo.value.branch !== branch || repo.value.head !== before || changes.value.length > 0) {
    return fail(
      `${root} was not restored after the abort: now on ${repo.value.branch ?? 'a detached HEAD'} at ${repo.value.head}` +
        `${changes.value.length > 0 ? `, with changes in ${changes.value.join(', ')}` : ''}`,
      `It was ${branch} at ${before}; inspect with git status and git reflog.`,
      { files: changes.value },
    );
  }
  return ok(undefined);
}
