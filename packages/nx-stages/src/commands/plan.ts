import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { joinPath, loadPlan, settingsRefusal } from '../core/load-plan';
import { planSummary } from '../core/plan-summary';
import { renderPlanMarkdown } from '../core/render-plan';
import { formatProblem, validatePlan } from '../core/validate';
import { fsPlanSource } from '../io/fs-plan-source';
import type { CommandResult } from './validate';

/** `plan`: writes PLAN.md (only when its content changes) and returns the terminal summary. */
export function writePlanCommand(root: string, folder: string, options: { teamSize?: number }): CommandResult {
  const { teamSize } = options;
  if (teamSize !== undefined && !(Number.isInteger(teamSize) && teamSize >= 1)) {
    return { success: false, output: `--teamSize must be a whole number of people, at least 1 (got ${teamSize}).` };
  }
  const plan = loadPlan(fsPlanSource(root), folder);
  const refusal = settingsRefusal(plan);
  if (refusal) return { success: false, output: refusal };
  const report = validatePlan(plan);
  const cycles = report.checks.find((check) => check.name === 'cycles')!.problems;
  if (cycles.length > 0) {
    // A schedule of a cyclic plan would be fiction: refuse and say what to fix.
    return { success: false, output: ['Cannot schedule a plan with a dependency cycle:', ...cycles.map(formatProblem)].join('\n') };
  }
  const file = joinPath(plan.settings.folder, 'PLAN.md');
  const text = renderPlanMarkdown(plan, { teamSize });
  const path = join(root, file);
  const unchanged = existsSync(path) && readFileSync(path, 'utf8') === text;
  if (!unchanged) writeFileSync(path, text);
  const note = report.errors > 0 ? ` (the plan has ${report.errors} validation error(s): run validate)` : '';
  return { success: true, output: [...planSummary(plan, { teamSize }), '', `${unchanged ? 'Unchanged' : 'Wrote'} ${file}${note}`].join('\n') };
}
