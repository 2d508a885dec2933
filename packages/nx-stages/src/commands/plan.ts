import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { joinPath, loadPlan, settingsRefusal } from '../core/load-plan';
import { done, refuse, type Outcome } from '../core/outcome';
import { planSummary } from '../core/plan-summary';
import { renderPlanMarkdown } from '../core/render-plan';
import { formatProblem, validatePlan } from '../core/validate';
import { fsPlanSource } from '../io/fs-plan-source';

/** What `plan` did: the file it keeps, whether this run changed it, and the plan's validation errors. */
export interface PlanData {
  file: string;
  written: boolean;
  errors: number;
}

/** `plan`: writes PLAN.md (only when its content changes) and returns the terminal summary. */
export function writePlanCommand(root: string, folder: string, options: { teamSize?: number }): Outcome<PlanData> {
  const { teamSize } = options;
  if (teamSize !== undefined && !(Number.isInteger(teamSize) && teamSize >= 1)) {
    return refuse('invalid-input', `--teamSize must be a whole number of people, at least 1 (got ${teamSize})`);
  }
  const plan = loadPlan(fsPlanSource(root), folder);
  const refusal = settingsRefusal(plan);
  if (refusal) return refuse('invalid-input', refusal);
  const report = validatePlan(plan);
  const cycles = report.checks.find((check) => check.name === 'cycles')!.problems;
  if (cycles.length > 0) {
    // A schedule of a cyclic plan would be fiction: refuse and say what to fix.
    return refuse('invalid-input', ['Cannot schedule a plan with a dependency cycle:', ...cycles.map(formatProblem)].join('\n'));
  }
  const file = joinPath(plan.settings.folder, 'PLAN.md');
  const text = renderPlanMarkdown(plan, { teamSize });
  const path = join(root, file);
  const unchanged = existsSync(path) && readFileSync(path, 'utf8') === text;
  if (!unchanged) writeFileSync(path, text);
  const note = report.errors > 0 ? ` (the plan has ${report.errors} validation error(s): run validate)` : '';
  return done([...planSummary(plan, { teamSize }), '', `${unchanged ? 'Unchanged' : 'Wrote'} ${file}${note}`].join('\n'), { file, written: !unchanged, errors: report.errors });
}
