import { branchProblems } from './branch-problems';
import { findCycles, parallelGroups } from './graph';
import type { Plan, Problem } from './model';
import { ownershipProblems } from './ownership';
import { sizingProblems } from './sizing';
import { nearest } from './suggest';
import type { BranchContext } from './worktree-layout';

/** The method's validation checklist, in the order a user reads it. */
export const CHECKS = [
  { name: 'files', title: 'plan and stage files are well-formed' },
  { name: 'dependencies', title: 'every dependency names a stage' },
  { name: 'cycles', title: 'dependencies are acyclic' },
  { name: 'profiles', title: 'every profile exists' },
  { name: 'ownership', title: 'parallel stages own different files' },
  { name: 'shared-files', title: 'shared files have one owner among parallel stages' },
  { name: 'sizing', title: 'stages are sized 1–2 weeks and balanced' },
  { name: 'value', title: 'every stage states the value it delivers' },
] as const;
export type CheckName = (typeof CHECKS)[number]['name'];

const CHECK_OF_CODE: Record<string, CheckName> = {
  'unknown-dependency': 'dependencies',
  'self-dependency': 'dependencies',
  cycle: 'cycles',
  'unknown-profile': 'profiles',
  'ownership-overlap': 'ownership',
  'shared-file': 'shared-files',
  sizing: 'sizing',
  'missing-value': 'value',
};

export interface CheckResult {
  name: CheckName;
  title: string;
  problems: Problem[];
}

export interface ValidationReport {
  planFile: string;
  stageCount: number;
  groups: Record<string, string>;
  checks: CheckResult[];
  errors: number;
  warnings: number;
}

/**
 * Runs the whole checklist on a loaded plan. Pure: the same plan (and the same base branch and
 * remotes, when the caller read them from git) always gives the same report.
 */
export function validatePlan(plan: Plan, branches: BranchContext = {}): ValidationReport {
  const { stages, settings } = plan;
  const ids = new Set(stages.map((stage) => stage.id));
  const problems: Problem[] = [...plan.problems, ...branchProblems(plan, branches)];

  for (const stage of stages) {
    for (const dependency of stage.dependsOn) {
      const where = { file: stage.file, line: stage.lines.dependsOn, stages: [stage.id] };
      if (dependency === stage.id) {
        problems.push({ severity: 'error', code: 'self-dependency', ...where, message: `stage ${stage.id} depends on itself`, hint: 'remove it from dependsOn' });
      } else if (!ids.has(dependency)) {
        const guess = nearest(dependency, ids);
        problems.push({
          severity: 'error',
          code: 'unknown-dependency',
          ...where,
          message: `stage ${stage.id} depends on unknown stage "${dependency}"`,
          hint: guess ? `did you mean "${guess}"?` : 'create it with `nx g nx-stages:stage` or remove it from dependsOn',
        });
      }
    }
    // Own names only: a profile called "constructor" is not Object.prototype's.
    if (!Object.hasOwn(settings.profiles, stage.profile)) {
      const guess = nearest(stage.profile, Object.keys(settings.profiles));
      problems.push({
        severity: 'error',
        code: 'unknown-profile',
        file: stage.file,
        line: stage.lines.profile,
        stages: [stage.id],
        message: `stage ${stage.id} uses unknown gate profile "${stage.profile}"`,
        hint: guess ? `did you mean "${guess}"?` : `define it under profiles: in ${settings.file}`,
      });
    }
    if (!stage.value) {
      problems.push({
        severity: 'warning',
        code: 'missing-value',
        file: stage.file,
        line: stage.lines.value,
        stages: [stage.id],
        message: `stage ${stage.id} has no value statement`,
        hint: 'add value: one or two sentences on what users can do once it is merged',
      });
    }
  }
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  for (const cycle of findCycles(stages)) {
    const first = byId.get(cycle[0])!;
    problems.push({
      severity: 'error',
      code: 'cycle',
      file: first.file,
      line: first.lines.dependsOn,
      stages: cycle.slice(0, -1),
      message: `dependency cycle: ${cycle.join(' → ')} (each depends on the next)`,
      hint: 'remove one of these dependencies, or merge the stages on the cycle into one',
    });
  }
  const groups = parallelGroups(stages);
  problems.push(...ownershipProblems(stages, settings.sharedFiles), ...sizingProblems(stages, groups));

  const checks = CHECKS.map((check) => ({
    ...check,
    problems: problems.filter((problem) => (CHECK_OF_CODE[problem.code] ?? 'files') === check.name),
  }));
  return {
    planFile: settings.file,
    stageCount: stages.length,
    groups: Object.fromEntries(groups),
    checks,
    errors: problems.filter((problem) => problem.severity === 'error').length,
    warnings: problems.filter((problem) => problem.severity === 'warning').length,
  };
}

/** `file:line:column` for a problem, as editors and terminals link it. */
export function problemLocation(problem: Pick<Problem, 'file' | 'line' | 'column'>): string {
  if (!problem.file) return '';
  return [problem.file, problem.line, problem.line !== undefined ? problem.column : undefined].filter((part) => part !== undefined).join(':');
}

/** One line per problem: `stages/9.1/stage.yaml:4: error: … — hint`. */
export function formatProblem(problem: Problem): string {
  const location = problemLocation(problem);
  return `${location ? `${location}: ` : ''}${problem.severity}: ${problem.message}${problem.hint ? ` — ${problem.hint}` : ''}`;
}
