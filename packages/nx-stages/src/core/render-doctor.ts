import { countFindings, plural, type Finding, type FindingLevel } from './doctor';

const MARK: Record<FindingLevel, string> = { ok: '✔', warning: '!', error: '✖' };

/**
 * The doctor's findings as terminal lines: one per finding, its fix indented below it, then a
 * one-line verdict. `problemsOnly` leaves out what is fine (init prints only what needs doing).
 */
export function renderDoctor(findings: readonly Finding[], options: { problemsOnly?: boolean } = {}): string[] {
  const lines: string[] = [];
  for (const finding of findings) {
    if (options.problemsOnly && finding.level === 'ok') continue;
    lines.push(`${MARK[finding.level]} ${finding.message}`);
    if (finding.fix) lines.push(`    ${finding.fix}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(doctorVerdict(findings));
  return lines;
}

export function doctorVerdict(findings: readonly Finding[]): string {
  const { errors, warnings } = countFindings(findings);
  if (errors > 0) return `${MARK.error} ${plural(errors, 'error')}, ${plural(warnings, 'warning')}: the gates cannot measure until the errors are fixed.`;
  if (warnings > 0) return `${MARK.warning} ${plural(warnings, 'warning')}: nothing stops the gates, but each fix above makes them measure more or leaves worktrees cleaner.`;
  return `${MARK.ok} Nothing stops the gates from measuring in this workspace.`;
}

/** The `--json` document for scripts: the verdict, the counts and every finding. */
export interface DoctorReport {
  success: boolean;
  errors: number;
  warnings: number;
  findings: Finding[];
}

export function doctorReport(findings: readonly Finding[]): DoctorReport {
  const { errors, warnings } = countFindings(findings);
  return { success: errors === 0, errors, warnings, findings: [...findings] };
}
