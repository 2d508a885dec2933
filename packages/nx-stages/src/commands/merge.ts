import type { Plan, Stage } from '../core/model';
import { done, failed, failureText, type Failure, type Outcome } from '../core/outcome';
import { stageBranch } from '../core/worktree-layout';
import { branchExists } from '../git/branch';
import { openRepository } from '../git/repository';
import { stageMergedForTeam } from '../git/stage-merged';
import { remoteMoved } from '../git/remote';
import { teamRefs } from './team-view';
import { listWorktrees } from '../git/worktree-list';
import { cleanStagesCommand } from './clean';
import { stageBranchRefusal } from './stage-branch-check';
import { guardedIntegration } from './guarded-integration';
import { resolveBase } from './resolve-base';
import { saidBy } from './said-by';
import { verifyStageProof } from './verify';
import { mergeMessage } from '../core/conventions';
import { baseUpToDate, pushBase } from './push-base';
import { pushTarget } from './push-target';

export interface MergeOptions {
  base?: string;
  /** Remove the stage's worktree once merged (same safety as `clean`). */
  cleanup?: boolean;
  /** With cleanup: delete the branch too. */
  deleteBranch?: boolean;
  /** Push the base after the merge (never forced); undefined = `push:` of stages.yaml. */
  push?: boolean;
}

export interface MergeData {
  id: string;
  branch: string;
  base: string;
  /** What the merge did: merged now, found it merged already, or found no branch (not started). */
  result: 'merged' | 'already-merged' | 'not-started';
  /** The base's new head, when this call merged. */
  head?: string;
  /** The merge commit's message, when this call merged. */
  message?: string;
  /** With cleanup: whether clean removed the stage's worktree (false: it kept it and said why). */
  cleaned?: boolean;
  /** With --push: the remote the base was pushed to (or already had it). */
  pushed?: string;
}

/**
 * `merge`: the stage branch into the base with `--no-ff -m "Merge Stage <id>: <name>"`, in the
 * checkout that has the base branch. Only a stage whose dependencies are merged and whose proof
 * is valid for its branch head; the exact commit verified is the one merged. One merge at a time
 * (lock); a conflict aborts and leaves the base exactly as before; already merged = success.
 * Ctrl+C (SIGINT/SIGTERM) undoes the merge before exiting; a merge left half-done by a killed
 * call is found and undone by the next one (see guarded-integration.ts), and said in a note.
 */
export async function mergeStageCommand(root: string, plan: Plan, stage: Stage, options: MergeOptions = {}): Promise<Outcome<MergeData>> {
  const refused = (failure: Failure) => failed<MergeData>(saidBy(`Merge of stage ${stage.id} refused: `, failure));
  const repository = await openRepository(root);
  if (!repository.ok) return refused(repository);
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings, options.base);
  if (!base.ok) return refused(base);
  const branch = stageBranch(plan.settings, stage.id);
  const unsafe = await stageBranchRefusal(repoRoot, plan, stage.id, base.value);
  if (unsafe) return refused(unsafe);
  const data = { id: stage.id, branch, base: base.value };
  const remote = await pushTarget(repoRoot, plan.settings, options.push);
  if (!remote.ok) return refused(remote);
  let verified: string | undefined;

  const guarded = await guardedIntegration(repository.value.commonDir, `merge-into-${base.value}`, 'merge', async (integrate): Promise<Outcome<MergeData>> => {
    if (remote.value) {
      const current = await baseUpToDate(repoRoot, remote.value, base.value);
      if (!current.ok) return refused(current);
    }
    const team = await teamRefs(repository.value, plan, base.value);
    if (!team.ok) return refused(team);
    const already = await stageMergedForTeam(repoRoot, { id: stage.id, branch }, base.value, team.value.refsOf(branch));
    if (!already.ok) return refused(already);
    if (already.value) return done(`✔ Stage ${stage.id} is already merged into ${base.value}.`, { ...data, result: 'already-merged' });
    const exists = await branchExists(repoRoot, branch);
    if (!exists.ok) return refused(exists);
    // A teammate's stage that only the remote has is merged from that copy, its proof checked there.
    const remoteCopy = exists.value ? undefined : team.value.remoteOnly(branch);
    // Not started: nothing to merge. Stages that depend on it are refused on their own check.
    if (!exists.value && !remoteCopy) return done(`Stage ${stage.id} has no branch ${branch} yet: nothing to merge.`, { ...data, result: 'not-started' });

    const waiting: string[] = [];
    for (const id of stage.dependsOn) {
      const dependencyBranch = stageBranch(plan.settings, id);
      const dependency = await stageMergedForTeam(repoRoot, { id, branch: dependencyBranch }, base.value, team.value.refsOf(dependencyBranch));
      if (!dependency.ok) return refused(dependency);
      if (!dependency.value) waiting.push(id);
    }
    if (waiting.length) {
      return refused({
        kind: 'refused',
        message: `its dependencies are not merged into ${base.value}: ${waiting.join(', ')}`,
        hint: 'Merge them first (nx run-many -t merge merges in dependency order).',
      });
    }

    const verification = await verifyStageProof(repoRoot, plan, stage, remoteCopy ? { ref: remoteCopy } : {});
    if (!verification.valid || !verification.head) {
      return refused({
        kind: 'refused',
        message: `its proof is not valid for ${branch}:\n${verification.problems.map((problem) => `  - ${problem}`).join('\n')}`,
        hint: `Make a new proof in its worktree (\`nx run stage-${stage.id}:gates\`, then \`nx run stage-${stage.id}:proof\`), then merge again.`,
      });
    }
    const worktrees = await listWorktrees(repoRoot);
    if (!worktrees.ok) return refused(worktrees);
    const baseCheckout = worktrees.value.find((entry) => entry.branch === base.value && !entry.prunable);
    if (!baseCheckout) {
      return refused({
        kind: 'not-found',
        message: `${base.value} is not checked out in any worktree`,
        hint: `Check it out in the main checkout (git switch ${base.value}) and merge again.`,
      });
    }

    verified = verification.head;
    const message = mergeMessage(stage.id, stage.name);
    // The verified commit, not the branch name: a commit pushed after the check is not merged unproven.
    const result = await integrate(baseCheckout.path, verification.head, 'merge', message, true);
    if (!result.ok && result.interrupted) return failed(saidBy(`Merge of stage ${stage.id} interrupted: `, result));
    if (!result.ok && result.conflicts?.length) {
      return refused({
        ...result,
        message: `conflicts in ${result.conflicts.join(', ')}; the merge was aborted and ${base.value} is exactly as before`,
        hint: `Bring ${base.value} into the stage (nx run stage-${stage.id}:sync), resolve there, run gates and proof again.`,
      });
    }
    if (!result.ok && result.kind === 'dirty') return refused({ ...result, hint: `Commit or stash them in ${baseCheckout.path}, then merge again.` });
    if (!result.ok) return refused(result);
    const head = result.value.changed ? result.value.head : undefined;
    return done(`✔ Merged ${branch} into ${base.value}${head ? ` (${head.slice(0, 7)})` : ''}: "${message}"`, {
      ...data,
      result: 'merged',
      ...(head ? { head } : {}),
      message,
    });
  });
  const notes = guarded.repaired ? [guarded.repaired] : [];
  if (guarded.interruptedBefore || !guarded.outcome) {
    const signal = guarded.interruptedBefore ?? 'a signal';
    return failed({ kind: 'interrupted', message: `Merge of stage ${stage.id} interrupted (${signal}) before anything was changed`, interrupted: signal }, { notes });
  }
  const merged = remote.value ? await pushMergedBase(repoRoot, remote.value, stage, guarded.outcome, verified) : guarded.outcome;
  if (!merged.ok || !options.cleanup) return { ...merged, ...(notes.length ? { notes: [...notes, ...(merged.notes ?? [])] } : {}) };
  const cleaned = await cleanStagesCommand(root, plan, { only: [stage.id], deleteBranch: options.deleteBranch, push: options.push });
  const cleanText = cleaned.text || (cleaned.failure ? failureText(cleaned.failure) : '');
  const report = { text: `${merged.text}\n${cleanText}`, data: { ...merged.data!, cleaned: cleaned.ok }, notes };
  if (cleaned.ok) return done(report.text, report.data, notes);
  // Clean's report says what it kept and why; the failure is for scripts.
  return failed({ kind: 'refused', message: `Stage ${stage.id} is merged, but clean kept its worktree` }, report);
}

/**
 * The base pushed after the merge (or after finding it merged, when the push had not happened).
 * A refused push leaves the local merge in place: the outcome says so, and what to do.
 */
async function pushMergedBase(root: string, remote: string, stage: Stage, merged: Outcome<MergeData>, verified: string | undefined): Promise<Outcome<MergeData>> {
  if (!merged.ok || !merged.data || merged.data.result === 'not-started') return merged;
  const { base } = merged.data;
  const pushed = await pushBase(root, remote, base, verified);
  if (pushed.ok) {
    const said =
      pushed.value === 'up-to-date'
        ? `${remote}/${base} already has it: nothing to push`
        : `Pushed ${base} to ${remote}${pushed.value === 'retried' ? ' (after a fetch: it had moved by commits already in it)' : ''}`;
    return done(`${merged.text}\n✔ ${said}`, { ...merged.data, pushed: remote }, merged.notes);
  }
  const kept = merged.data.head ? `Stage ${stage.id} is merged into your ${base} (${merged.data.head.slice(0, 7)})` : `Stage ${stage.id} is merged into your ${base}`;
  // A remote that moved is caught up with by pulling; its own rules' refusal keeps the remote's words.
  const hint = remoteMoved(pushed)
    ? `Your ${base} keeps the merge; nothing was pushed. Pull the remote's ${base} into it (\`git pull --no-rebase ${remote} ${base}\` in the checkout of ${base}), run verify again (\`nx run stage-${stage.id}:verify\`), then push it (\`git push ${remote} ${base}\`).`
    : `Your ${base} keeps the merge. ${pushed.hint ?? ''}`.trim();
  const failure = pushed.kind === 'refused' ? { ...pushed, message: `${kept}, but ${pushed.message}`, hint } : saidBy(`${kept}, but it was not pushed: `, pushed);
  return failed(failure, { text: `${merged.text}\n✖ ${failureText(failure)}`, data: merged.data, notes: merged.notes });
}
