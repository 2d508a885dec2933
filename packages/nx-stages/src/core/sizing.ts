import { stagesByGroup } from './graph';
import type { Problem, Stage } from './model';

/** The method sizes stages at 1–2 weeks, roughly equal; outside that, warn but do not fail. */
export const SIZING = { maxDays: 10, minDays: 3, maxRatioInGroup: 2 };

export function sizingProblems(stages: readonly Stage[], groups: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const stage of stages) {
    const where = { file: stage.file, line: stage.lines.duration, stages: [stage.id] };
    if (stage.durationDays > SIZING.maxDays) {
      problems.push({
        severity: 'warning',
        code: 'sizing',
        ...where,
        message: `stage ${stage.id} takes ${stage.duration}, more than 2 weeks`,
        hint: 'split it into stages of 1–2 weeks that can each be merged on their own',
      });
    } else if (stage.durationDays < SIZING.minDays) {
      problems.push({
        severity: 'warning',
        code: 'sizing',
        ...where,
        message: `stage ${stage.id} takes ${stage.duration}, less than 3 days`,
        hint: 'the overhead of a separate worktree and merge rarely pays off; fold it into a related stage',
      });
    }
  }
  for (const [group, members] of stagesByGroup(stages, groups)) {
    if (members.length < 2) continue;
    const sorted = [...members].sort((a, b) => a.durationDays - b.durationDays);
    const [shortest, longest] = [sorted[0], sorted[sorted.length - 1]];
    if (longest.durationDays > SIZING.maxRatioInGroup * shortest.durationDays) {
      problems.push({
        severity: 'warning',
        code: 'sizing',
        file: longest.file,
        line: longest.lines.duration,
        stages: [shortest.id, longest.id],
        message: `group ${group} is imbalanced: ${longest.id} takes ${longest.duration}, ${shortest.id} only ${shortest.duration}`,
        hint: 'parallel stages finish together when they are of similar size; rebalance the work',
      });
    }
  }
  return problems;
}
