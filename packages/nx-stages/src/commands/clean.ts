import { relative } from 'node:path';
import { done, failed, failureText, type Failure, type Outcome } from '../core/outcome';
import type { Plan } from '../core/model';
import { stageBranch, unsafeBranchReason } from '../core/worktree-layout';
import { branchExists, deleteBranch, resolveCommit } from '../git/branch';
import { withLock } from '../git/lock';
import { openRepository } from '../git/repository';
import { stageMerged } from '../git/stage-merged';
import { listWorktrees, pruneWorktrees, type WorktreeEntry } from '../git/worktree-list';
import { filesOnlyOnDisk, removeWorktree } from '../git/worktree-remove';
import { forgetCreatedBranch, wasCreatedByStages } from '../io/created-branches';
import { reasonsToKeep } from './clean-checks';
import { resolveBase } from './resolve-base';
import { teamView } from './team-view';
import { shortRef } from '../git/remote';
import { pushTarget } from './push-target';
import { deleteRemoteBranch, fetchRemote } from '../git/remote';
import { mergedInto } from '../git/merged';
import { ok, type GitResult } from '../git/result';

export interface CleanOptions {
  force?: boolean;
  dryRun?: boolean;
  deleteBranch?: boolean;
  /** Only these stage ids (merge --cleanup cleans the stage it merged). */
  only?: readonly string[];
  /** Also delete the remote branch of each merged stage cleaned; undefined = `push:` of stages.yaml. */
  push?: boolean;
}

/** What clean did, or would do, with one stage. */
export interface CleanedStage {
  id: string;
  /** `would-remove` in a dry run; `kept` says why in `reason`. */
  action: 'removed' | 'would-remove' | 'kept';
  /** The worktree removed (or to remove), relative to the workspace root. */
  worktree?: string;
  /** The branch deleted (or to delete). */
  branch?: string;
  reason?: string;
  /** Kept for a reason the user must act on: a real run fails on it. A stage not merged is not one. */
  blocked?: boolean;
  /** The stage's branch, kept because nx-stages did not create it (`--deleteBranch` without `--force`). */
  keptBranch?: string;
  /** A dry run: the files in the worktree that git cannot give back. */
  filesNotInGit?: string[];
  /** With --push: the remote branch deleted (or to delete), as `<remote>/<branch>`. */
  remoteBranch?: string;
  /** With --push: why the remote branch was left there. */
  remoteKept?: string;
}

export interface CleanData {
  base: string;
  dryRun: boolean;
  stages: CleanedStage[];
}

interface CleanContext {
  root: string;
  repoRoot: string;
  commonDir: string;
  plan: Plan;
  base: string;
  /** What merged is judged against: the base, or the remote's base when it is newer (team-view). */
  judgeBase: string;
  worktrees: WorktreeEntry[];
  options: CleanOptions;
  /** With --push: the remote, fetched, whose merged stage branches are deleted. */
  remote?: string;
}

/**
 * Removes the worktrees (and with deleteBranch, the branches) of stages merged into the base.
 * Stages not merged are never touched. A merged stage's worktree with uncommitted files or files
 * edited since nx-stages created them, or a branch with commits not in the base, is kept unless
 * --force: nothing is lost by default. Never, even with --force: the base branch, a branch
 * checked out in another checkout, the main checkout. What it kept fails the run (kind
 * `refused`) with the report as its text, except in a dry run, where it is the answer.
 */
export async function cleanStagesCommand(root: string, plan: Plan, options: CleanOptions = {}): Promise<Outcome<CleanData>> {
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings);
  if (!base.ok) return failed(base);
  const remote = await pushTarget(repoRoot, plan.settings, options.push);
  if (!remote.ok) return failed(remote);
  // The remote's branches as they are now: a branch is deleted only at the tip judged here.
  const fetched = remote.value ? await fetchRemote(repoRoot, remote.value) : undefined;
  if (fetched && !fetched.ok) return failed(fetched);

  // Merged is judged against the newer of the local and the remote base: a merge on the forge counts.
  const team = await teamView(repository.value, plan, base.value, [], {});
  if (!team.ok) return failed(team);

  return withLock(repository.value.commonDir, 'worktrees', async () => {
    await pruneWorktrees(repoRoot);
    const worktrees = await listWorktrees(repoRoot);
    if (!worktrees.ok) return failed(worktrees);
    const context: CleanContext = {
      root,
      repoRoot,
      commonDir: repository.value.commonDir,
      plan,
      base: base.value,
      judgeBase: team.value.countBase,
      worktrees: worktrees.value,
      options,
      ...(remote.value ? { remote: remote.value } : {}),
    };
    const data: CleanData = { base: base.value, dryRun: options.dryRun === true, stages: [] };
    for (const stage of plan.stages) {
      if (options.only && !options.only.includes(stage.id)) continue;
      const outcome = await cleanStage(context, stage.id);
      if (!outcome) continue;
      if ('failed' in outcome) {
        // What was already removed stays in the report, then the stage it stopped at.
        const text = [...renderClean(data), `  failed stage ${stage.id}: ${failureText(outcome.failed)}`].join('\n');
        return failed({ ...outcome.failed, message: `clean stopped at stage ${stage.id}: ${outcome.failed.message}` }, { text, data });
      }
      data.stages.push(outcome);
    }
    const text = renderClean(data).join('\n');
    const blocked = data.stages.filter((stage) => stage.blocked).map((stage) => stage.id);
    // A dry run only reports: what it would keep is an answer, not a failure.
    if (blocked.length === 0 || data.dryRun) return done(text, data);
    return failed(
      {
        kind: 'refused',
        message: `clean kept merged stage${blocked.length === 1 ? '' : 's'} ${blocked.join(', ')}`,
        hint: 'Each "kept" line of the report says why and what to do.',
      },
      { text, data },
    );
  });
}

/** The report for people: a heading, then one line per stage (and what it kept or would lose). */
export function renderClean(data: CleanData): string[] {
  const lines = data.stages.flatMap(stageLines);
  return [`Clean${data.dryRun ? ' (dry run)' : ''}: stages merged into ${data.base}`, ...(lines.length > 0 ? lines : ['  nothing to clean: no stage worktrees'])];
}

function stageLines(stage: CleanedStage): string[] {
  const keptBranch = stage.keptBranch
    ? [`    kept branch ${stage.keptBranch}: nx-stages did not create it (delete it yourself with git branch -d ${stage.keptBranch}, or pass --force)`]
    : [];
  if (stage.action === 'kept') return [`  kept   stage ${stage.id}: ${stage.reason}`, ...keptBranch];
  const remote = [
    ...(stage.remoteBranch ? [`    ${stage.action === 'removed' ? 'deleted' : 'would delete'} remote branch ${stage.remoteBranch}`] : []),
    ...(stage.remoteKept ? [`    kept remote branch: ${stage.remoteKept}`] : []),
  ];
  const what = [stage.worktree === undefined ? '' : `worktree ${stage.worktree}`, stage.branch ? `branch ${stage.branch}` : ''].filter(Boolean).join(' and ');
  if (stage.action === 'removed') return [`  removed stage ${stage.id}: ${what}`, ...keptBranch, ...remote];
  const files = stage.filesNotInGit;
  return [
    `  would remove stage ${stage.id}: ${what}`,
    ...keptBranch,
    ...remote,
    ...(files === undefined ? [] : [`    ${files.length > 0 ? `files not in git: ${files.join(', ')}` : 'no files outside git'}`]),
  ];
}

/** Undefined when the stage has nothing to clean (no worktree, and no branch to delete). */
async function cleanStage(context: CleanContext, id: string): Promise<CleanedStage | { failed: Failure } | undefined> {
  const { root, repoRoot, commonDir, plan, base, judgeBase, worktrees, options } = context;
  const branch = stageBranch(plan.settings, id);
  const kept = (reason: string, blocked = true): CleanedStage => ({ id, action: 'kept', reason, blocked });
  // A pattern naming the base branch (or HEAD) makes the stage's "branch" someone else's: touch nothing.
  const unsafe = unsafeBranchReason(branch, { base });
  if (unsafe) return kept(`its branch ${branch} ${unsafe}; nothing was removed (fix branchPattern in ${plan.settings.file})`);
  const checkouts = worktrees.filter((entry) => entry.branch === branch);
  // The stage's worktree is a linked one: the main checkout (listed first) is never removed.
  const worktree = checkouts.find((entry) => entry !== worktrees[0]);
  const elsewhere = checkouts.filter((entry) => entry !== worktree).map((entry) => entry.path);
  const exists = await branchExists(repoRoot, branch);
  if (!exists.ok) return { failed: exists };
  // A branch that existed before nx-stages made the stage's worktree is a person's: kept unless --force.
  const notOurs = options.deleteBranch === true && exists.value && !options.force && !(await wasCreatedByStages(commonDir, branch));
  const keptBranch = notOurs ? { keptBranch: branch } : {};
  const deleting = options.deleteBranch === true && exists.value && !notOurs;
  if (!worktree && !deleting) return notOurs ? { ...kept(`branch ${branch}`, false), ...keptBranch } : undefined;

  const merged = await stageMerged(repoRoot, { id, branch }, judgeBase);
  if (!merged.ok) return { failed: merged };
  if (!merged.value) return kept(`not merged into ${base}`, false);
  if (deleting && elsewhere.length > 0) return kept(`branch ${branch} is checked out in ${elsewhere.join(', ')} (switch that checkout to another branch first)`);
  // The tip judged below is the one deleted: work added meanwhile makes the deletion refuse.
  const tip = deleting ? await resolveCommit(repoRoot, `refs/heads/${branch}`) : undefined;
  if (tip && !tip.ok) return { failed: tip };
  const reasons = await reasonsToKeep(worktree?.path, exists.value ? branch : undefined, repoRoot, judgeBase);
  if (reasons.length > 0 && !options.force) return kept(`${reasons.join('; ')} (nothing was removed: commit, merge or copy what you need, or pass --force to discard it)`);

  const remoteTip = context.remote ? await mergedRemoteTip(repoRoot, context.remote, branch, judgeBase) : undefined;
  if (remoteTip && !remoteTip.ok) return { failed: remoteTip };
  const remoteSaid = remoteTip?.value ? remoteTip.value.said : {};
  const local = { ...(worktree ? { worktree: relative(root, worktree.path) } : {}), ...(deleting ? { branch } : {}), ...keptBranch };
  const what = { ...local, ...remoteSaid };
  if (options.dryRun) {
    if (!worktree) return { id, action: 'would-remove', ...what };
    const files = await filesOnlyOnDisk(worktree.path);
    if (!files.ok) return { failed: files };
    return { id, action: 'would-remove', ...what, filesNotInGit: files.value };
  }
  if (worktree) {
    const removed = await removeWorktree(repoRoot, worktree.path, { force: Boolean(options.force) });
    if (!removed.ok) return { failed: removed };
  }
  if (deleting && tip?.ok) {
    // -D: merged-ness was judged above by content too (squash merges), which git's -d does not know.
    const deleted = await deleteBranch(repoRoot, branch, { force: true, expectedTip: tip.value });
    if (!deleted.ok) return { failed: deleted };
    await forgetCreatedBranch(commonDir, branch);
  }
  const tipToDelete = remoteTip?.value?.tip;
  if (context.remote && tipToDelete) {
    // The lease: deleted only while the remote branch is still the commit judged merged.
    const deletedRemote = await deleteRemoteBranch(repoRoot, context.remote, branch, tipToDelete);
    if (!deletedRemote.ok && deletedRemote.kind !== 'refused') return { failed: deletedRemote };
    if (!deletedRemote.ok) {
      return { id, action: 'removed', ...local, remoteKept: `${context.remote}/${branch} moved since it was judged merged (someone pushed to it); nothing was deleted there` };
    }
  }
  return { id, action: 'removed', ...what };
}

/**
 * The remote copy of a merged stage's branch (as just fetched), if it may be deleted: its tip in
 * the base (ancestor, or its content: a squash merge). A tip with work the base lacks is kept.
 */
async function mergedRemoteTip(
  root: string,
  remote: string,
  branch: string,
  base: string,
): Promise<GitResult<{ tip?: string; said: Pick<CleanedStage, 'remoteBranch' | 'remoteKept'> } | undefined>> {
  const tip = await resolveCommit(root, `refs/remotes/${remote}/${branch}`);
  if (!tip.ok) return ok(undefined);
  const merged = await mergedInto(root, tip.value, base);
  if (!merged.ok) return merged;
  if (!merged.value)
    return ok({ said: { remoteKept: `${remote}/${branch} has commits not merged into ${shortRef(base)} (someone pushed to it since); nothing was deleted there` } });
  return ok({ tip: tip.value, said: { remoteBranch: `${remote}/${branch}` } });
}
