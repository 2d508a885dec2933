import { loadPlan } from '../core/load-plan';
import { renderValidation } from '../core/render-validation';
import { validatePlan } from '../core/validate';
import { fsPlanSource } from '../plugin/fs-plan-source';

export interface CommandResult {
  success: boolean;
  /** What to print on stdout. */
  output: string;
}

/** `validate`: the checklist for the plan in `folder`; fails on errors, not on warnings. */
export function validateCommand(root: string, folder: string, options: { json?: boolean }): CommandResult {
  const report = validatePlan(loadPlan(fsPlanSource(root), folder));
  return {
    success: report.errors === 0,
    output: options.json ? JSON.stringify(report, null, 2) : renderValidation(report).join('\n'),
  };
}
