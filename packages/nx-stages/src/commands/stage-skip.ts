import type { Plan } from '../core/model';
import { done, type Outcome } from '../core/outcome';
import { stageBranch } from '../core/worktree-layout';
import { branchExists } from '../git/branch';
import { openRepository } from '../git/repository';
import { stageMerged } from '../git/stage-merged';
import { resolveBase } from './resolve-base';

/** The `--json` document of a skipped stage: which one, and why there is nothing to do. */
export interface StageSkipped {
  stage: string;
  skipped: string;
}

/**
 * Why `gates`, `proof` and `verify` have nothing to do for a stage: a success whose text is the
 * one line they print; undefined when they do. `run-many` covers every stage: one not started yet
 * or already merged must not turn it red, and a merged stage's committed proof is never touched.
 */
export async function stageSkip(root: string, plan: Plan, id: string, options: { base?: string; inPlace?: boolean } = {}): Promise<Outcome<StageSkipped> | undefined> {
  if (options.inPlace) return undefined; // CI on the stage's commit: measure what is checked out
  const repository = await openRepository(root);
  if (!repository.ok) return undefined; // the command itself reports it
  const branch = stageBranch(plan.settings, id);
  const exists = await branchExists(repository.value.root, branch);
  if (exists.ok && !exists.value) return skipped(id, `Stage ${id} has no branch yet (${branch}): nothing to do. Start it with \`nx g nx-stages:worktree ${id}\`.`);
  const base = await resolveBase(repository.value.root, plan.settings, options.base);
  if (!base.ok) return undefined;
  const merged = await stageMerged(repository.value.root, { id, branch }, base.value);
  if (merged.ok && merged.value) return skipped(id, `Stage ${id} is merged into ${base.value}: its committed proof stands, nothing to do.`);
  return undefined;
}

const skipped = (stage: string, line: string): Outcome<StageSkipped> => done(line, { stage, skipped: line });
