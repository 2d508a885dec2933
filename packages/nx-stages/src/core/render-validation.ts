import type { ValidationReport } from './validate';
import { formatProblem } from './validate';

/** The checklist as terminal lines: one mark per check, problems indented beneath it. */
export function renderValidation(report: ValidationReport): string[] {
  const lines: string[] = [];
  for (const check of report.checks) {
    const hasError = check.problems.some((problem) => problem.severity === 'error');
    const mark = hasError ? '✖' : check.problems.length > 0 ? '⚠' : '✔';
    lines.push(`${mark} ${check.title}`);
    for (const problem of check.problems) lines.push(`    ${formatProblem(problem)}`);
  }
  const verdict = report.errors > 0 ? 'invalid' : 'valid';
  lines.push(
    '',
    `${report.planFile}: ${report.stageCount} stage${report.stageCount === 1 ? '' : 's'}, ${verdict} — ${count(report.errors, 'error')}, ${count(report.warnings, 'warning')}`,
  );
  return lines;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
