import { parallelGroups } from './graph';
import type { Plan } from './model';
import { formatDays, schedule } from './schedule';

/** The few lines a terminal shows after `plan`: groups, critical path, totals. */
export function planSummary(plan: Plan, options: { teamSize?: number } = {}): string[] {
  const groups = parallelGroups(plan.stages);
  const byGroup = new Map<string, string[]>();
  for (const stage of plan.stages) {
    const group = groups.get(stage.id);
    if (group) byGroup.set(group, [...(byGroup.get(group) ?? []), stage.id]);
  }
  const unlimited = schedule(plan.stages);
  const lines = [...byGroup].sort(([a], [b]) => a.length - b.length || a.localeCompare(b)).map(([group, ids]) => `Group ${group}: ${ids.join(', ')}`);
  lines.push(
    `Critical path: ${unlimited.criticalPath.join(' → ') || '—'}`,
    `Sequential ${formatDays(unlimited.sequentialDays)} · parallel ${formatDays(unlimited.parallelDays)} · saves ${formatDays(unlimited.savedDays)} (${unlimited.savedPercent} %)`,
  );
  const teamSize = options.teamSize ?? plan.settings.teamSize;
  if (teamSize) {
    const team = schedule(plan.stages, { teamSize });
    lines.push(`With a team of ${teamSize}: ${formatDays(team.parallelDays)} · saves ${formatDays(team.savedDays)} (${team.savedPercent} %)`);
  }
  return lines;
}
