import { parallelGroups, stagesByGroup } from './graph';
import type { Plan } from './model';
import { formatDays, schedule } from './schedule';

/** The few lines a terminal shows after `plan`: groups, critical path, totals. */
export function planSummary(plan: Plan, options: { teamSize?: number } = {}): string[] {
  const groups = stagesByGroup(plan.stages, parallelGroups(plan.stages));
  const unlimited = schedule(plan.stages);
  const lines = [...groups].map(([group, stages]) => `Group ${group}: ${stages.map((stage) => stage.id).join(', ')}`);
  lines.push(
    `Critical path: ${unlimited.criticalPath.join(' → ') || '—'}`,
    `Sequential ${formatDays(unlimited.sequentialDays)} · parallel ${formatDays(unlimited.parallelDays)} · saves ${formatDays(unlimited.savedDays)}, ${unlimited.savedPercent} %`,
  );
  const teamSize = options.teamSize ?? plan.settings.teamSize;
  if (teamSize) {
    const team = schedule(plan.stages, { teamSize });
    lines.push(`With a team of ${teamSize}: ${formatDays(team.parallelDays)} · saves ${formatDays(team.savedDays)}, ${team.savedPercent} %`);
  }
  return lines;
}
