import type { Plan, Stage } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { branchExists } from '../git/branch';
import { openRepository } from '../git/repository';
import { stageMerged } from '../git/stage-merged';
import { listWorktrees } from '../git/worktree-list';
import { cleanCommand } from './clean';
import { stageBranchRefusal } from './stage-branch-check';
import { guardedIntegration } from './guarded-integration';
import { resolveBase } from './resolve-base';
import type { CommandResult } from './validate';
import { verifyStageProof } from './verify';
import { mergeMessage } from '../core/conventions';
import { failureText } from '../core/outcome';

export interface MergeOptions {
  base?: string;
  /** Remove the stage's worktree once merged (same safety as `clean`). */
  cleanup?: boolean;
  /** With cleanup: delete the branch too. */
  deleteBranch?: boolean;
}

/**
 * `merge`: the stage branch into the base with `--no-ff -m "Merge Stage <id>: <name>"`, in the
 * checkout that has the base branch. Only a stage whose dependencies are merged and whose proof
 * is valid for its branch head; the exact commit verified is the one merged. One merge at a time
 * (lock); a conflict aborts and leaves the base exactly as before; already merged = success.
 * Ctrl+C (SIGINT/SIGTERM) undoes the merge before exiting; a merge left half-done by a killed
 * call is found and undone by the next one (see guarded-integration.ts).
 */
export async function mergeStageCommand(root: string, plan: Plan, stage: Stage, options: MergeOptions = {}): Promise<CommandResult> {
  const refuse = (why: string, hint?: string) => ({ success: false, output: `Merge of stage ${stage.id} refused: ${failureText({ message: why, hint })}` });
  const repository = await openRepository(root);
  if (!repository.ok) return refuse(repository.message, repository.hint);
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings, options.base);
  if (!base.ok) return refuse(base.message, base.hint);
  const branch = stageBranch(plan.settings, stage.id);
  const unsafe = await stageBranchRefusal(repoRoot, plan, stage.id, base.value);
  if (unsafe) return refuse(unsafe);

  const guarded = await guardedIntegration(repository.value.commonDir, `merge-into-${base.value}`, 'merge', async (integrate): Promise<CommandResult> => {
    const already = await stageMerged(repoRoot, { id: stage.id, branch }, base.value);
    if (!already.ok) return refuse(already.message, already.hint);
    if (already.value) return { success: true, output: `✔ Stage ${stage.id} is already merged into ${base.value}.` };
    const exists = await branchExists(repoRoot, branch);
    if (!exists.ok) return refuse(exists.message);
    // Not started: nothing to merge. Stages that depend on it are refused on their own check.
    if (!exists.value) return { success: true, output: `Stage ${stage.id} has no branch ${branch} yet: nothing to merge.` };

    const waiting: string[] = [];
    for (const id of stage.dependsOn) {
      const dependency = await stageMerged(repoRoot, { id, branch: stageBranch(plan.settings, id) }, base.value);
      if (!dependency.ok) return refuse(dependency.message);
      if (!dependency.value) waiting.push(id);
    }
    if (waiting.length)
      return refuse(`its dependencies are not merged into ${base.value}: ${waiting.join(', ')}.`, `Merge them first (nx run-many -t merge merges in dependency order).`);

    const verification = await verifyStageProof(repoRoot, plan, stage);
    if (!verification.valid || !verification.head) {
      return refuse(
        `its proof is not valid for ${branch}:\n${verification.problems.map((problem) => `  - ${problem}`).join('\n')}`,
        `\nRun \`nx run stage-${stage.id}:gates\` and \`nx run stage-${stage.id}:proof\` in its worktree.`,
      );
    }
    const worktrees = await listWorktrees(repoRoot);
    if (!worktrees.ok) return refuse(worktrees.message);
    const baseCheckout = worktrees.value.find((entry) => entry.branch === base.value && !entry.prunable);
    if (!baseCheckout) return refuse(`${base.value} is not checked out in any worktree.`, `Check it out in the main checkout (git switch ${base.value}) and merge again.`);

    const message = mergeMessage(stage.id, stage.name);
    // The verified commit, not the branch name: a commit pushed after the check is not merged unproven.
    const result = await integrate(baseCheckout.path, verification.head, 'merge', message, true);
    if (!result.ok && result.interrupted) return { success: false, output: `Merge of stage ${stage.id} interrupted: ${result.message}.` };
    if (!result.ok) {
      const files = result.conflicts?.length ? `conflicts in ${result.conflicts.join(', ')}; the merge was aborted and ${base.value} is exactly as before.` : result.message;
      return refuse(
        files,
        result.conflicts?.length ? `Bring ${base.value} into the stage (nx run stage-${stage.id}:sync), resolve there, run gates and proof again.` : result.hint,
      );
    }
    const head = result.value.changed ? result.value.head.slice(0, 7) : '';
    return { success: true, output: `✔ Merged ${branch} into ${base.value}${head ? ` (${head})` : ''}: "${message}"` };
  });
  const outcome: CommandResult =
    guarded.interruptedBefore || !guarded.outcome
      ? { success: false, output: `Merge of stage ${stage.id} interrupted (${guarded.interruptedBefore}) before anything was changed.` }
      : guarded.outcome;
  const merged = guarded.repaired ? { ...outcome, output: `${guarded.repaired}\n${outcome.output}` } : outcome;
  if (!merged.success || !options.cleanup) return merged;
  const cleaned = await cleanCommand(root, plan, { only: [stage.id], deleteBranch: options.deleteBranch });
  return { success: cleaned.success, output: `${merged.output}\n${cleaned.output}` };
}
