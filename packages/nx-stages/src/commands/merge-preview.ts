import { mergeMessage } from '../core/conventions';
import type { Plan, Stage } from '../core/model';
import { done, failed, refuse, type Outcome } from '../core/outcome';
import { stageBranch } from '../core/worktree-layout';
import { branchExists, resolveCommit } from '../git/branch';
import { mergeTreeCheck } from '../git/merge-tree';
import { openRepository } from '../git/repository';
import { stageMerged } from '../git/stage-merged';
import { listWorktrees } from '../git/worktree-list';
import { resolveBase } from './resolve-base';
import { stageBranchRefusal } from './stage-branch-check';
import { verifyStageProof } from './verify';

export interface MergePreview {
  stage: string;
  dryRun: true;
  branch: string;
  base: string;
  /** Whether a merge would happen: false when the stage is merged already or has no branch yet. */
  wouldMerge: boolean;
  /** The verified commit that would be merged (the proof's head), when it would. */
  commit: string | null;
  /** The checkout of the base the merge would happen in. */
  checkout: string | null;
  /** The merge commit's message. */
  message: string;
}

/**
 * What `merge` would do, with every check it makes — the branch, the dependencies, the proof at
 * the plan's trust level, the base's checkout — and the merge itself forecast in memory
 * (`git merge-tree`): no lock taken, no ref, index or checkout touched.
 */
export async function mergePreviewCommand(root: string, plan: Plan, stage: Stage, options: { base?: string } = {}): Promise<Outcome<MergePreview>> {
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings, options.base);
  if (!base.ok) return failed(base);
  const unsafe = await stageBranchRefusal(repoRoot, plan, stage.id, base.value);
  if (unsafe) return failed(unsafe);
  const branch = stageBranch(plan.settings, stage.id);
  const message = mergeMessage(stage.id, stage.name);
  const preview = { stage: stage.id, dryRun: true as const, branch, base: base.value, message };
  const nothing = (why: string) => done(`Dry run: ${why}: nothing to merge.`, { ...preview, wouldMerge: false, commit: null, checkout: null });

  const already = await stageMerged(repoRoot, { id: stage.id, branch }, base.value);
  if (!already.ok) return failed(already);
  if (already.value) return nothing(`stage ${stage.id} is already merged into ${base.value}`);
  const exists = await branchExists(repoRoot, branch);
  if (!exists.ok) return failed(exists);
  if (!exists.value) return nothing(`stage ${stage.id} has no branch ${branch} yet`);

  const waiting: string[] = [];
  for (const id of stage.dependsOn) {
    const dependency = await stageMerged(repoRoot, { id, branch: stageBranch(plan.settings, id) }, base.value);
    if (!dependency.ok) return failed(dependency);
    if (!dependency.value) waiting.push(id);
  }
  if (waiting.length)
    return refuse(
      'refused',
      `stage ${stage.id} would not merge: its dependencies are not merged into ${base.value}: ${waiting.join(', ')}`,
      'Merge them first, in dependency order.',
    );

  const verification = await verifyStageProof(repoRoot, plan, stage);
  if (!verification.valid || !verification.head)
    return refuse(
      'refused',
      `stage ${stage.id} would not merge: its proof is not valid for ${branch}: ${verification.problems.join('; ')}`,
      `Run \`nx run stage-${stage.id}:gates\` and \`nx run stage-${stage.id}:proof\` in its worktree.`,
    );
  const worktrees = await listWorktrees(repoRoot);
  if (!worktrees.ok) return failed(worktrees);
  const checkout = worktrees.value.find((entry) => entry.branch === base.value && !entry.prunable);
  if (!checkout) return refuse('not-found', `${base.value} is not checked out in any worktree`, `Check it out in the main checkout (git switch ${base.value}) before merging.`);

  const baseSha = await resolveCommit(repoRoot, `refs/heads/${base.value}`);
  if (!baseSha.ok) return failed(baseSha);
  const forecast = await mergeTreeCheck(repoRoot, baseSha.value, verification.head);
  if (!forecast.ok) return failed(forecast);
  if (!forecast.value.clean)
    return failed({
      kind: 'conflict',
      message: `stage ${stage.id} would not merge cleanly into ${base.value}: conflicts in ${forecast.value.conflictedFiles.join(', ')}`,
      hint: `Bring ${base.value} into the stage (nx run stage-${stage.id}:sync), resolve there, run gates and proof again.`,
      conflicts: forecast.value.conflictedFiles,
    });
  const commit = verification.head;
  return done(`Dry run: would merge ${branch} (${commit.slice(0, 7)}, proof valid) into ${base.value} in ${checkout.path}: "${message}". Nothing was changed.`, {
    ...preview,
    wouldMerge: true,
    commit,
    checkout: checkout.path,
  });
}
