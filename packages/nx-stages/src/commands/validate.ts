import { loadPlan } from '../core/load-plan';
import type { Plan } from '../core/model';
import { done, failed, type Outcome } from '../core/outcome';
import { renderValidation } from '../core/render-validation';
import { validatePlan, type ValidationReport } from '../core/validate';
import type { BranchContext } from '../core/worktree-layout';
import { openRepository, remoteNames } from '../git/repository';
import { fsPlanSource } from '../io/fs-plan-source';
import { resolveBase } from './resolve-base';

/**
 * `validate`: the checklist for the plan in `folder`; fails (kind `failed`) on errors, not on
 * warnings. The checklist is the text either way: it names each error's file and line.
 */
export async function validateCommand(root: string, folder: string): Promise<Outcome<ValidationReport>> {
  const plan = loadPlan(fsPlanSource(root), folder);
  const report = validatePlan(plan, await branchContext(root, plan));
  const text = renderValidation(report).join('\n');
  if (report.errors === 0) return done(text, report);
  const errors = `${report.errors} error${report.errors === 1 ? '' : 's'}`;
  return failed({ kind: 'failed', message: `The plan ${report.planFile} has ${errors}`, hint: 'Each error names its file and line.' }, { text, data: report });
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
