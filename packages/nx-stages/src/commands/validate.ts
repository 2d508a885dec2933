import { loadPlan } from '../core/load-plan';
import type { Plan } from '../core/model';
import { renderValidation } from '../core/render-validation';
import { validatePlan } from '../core/validate';
import type { BranchContext } from '../core/worktree-layout';
import { openRepository, remoteNames } from '../git/repository';
import { fsPlanSource } from '../io/fs-plan-source';
import { resolveBase } from './resolve-base';

export interface CommandResult {
  success: boolean;
  /** What to print on stdout. */
  output: string;
  /** The output is the verb's report even though it failed (what clean kept and why): stdout, not stderr. */
  report?: boolean;
}

/** `validate`: the checklist for the plan in `folder`; fails on errors, not on warnings. */
export async function validateCommand(root: string, folder: string, options: { json?: boolean }): Promise<CommandResult> {
  const plan = loadPlan(fsPlanSource(root), folder);
  const report = validatePlan(plan, await branchContext(root, plan));
  return {
    success: report.errors === 0,
    output: options.json ? JSON.stringify(report, null, 2) : renderValidation(report).join('\n'),
  };
}

/**
 * The base branch and remotes stage branches are checked against. Best effort: a plan is
 * validated outside a repository too, and a base that cannot be found is resolve-base's to report.
 */
async function branchContext(root: string, plan: Plan): Promise<BranchContext> {
  const repository = await openRepository(root);
  if (!repository.ok) return {};
  const [base, remotes] = await Promise.all([resolveBase(repository.value.root, plan.settings), remoteNames(repository.value.root)]);
  return { ...(base.ok ? { base: base.value } : {}), ...(remotes.ok ? { remotes: remotes.value } : {}) };
}
