import { planGates } from './gates/gate-plan';
import type { Plan, Stage } from './model';
import { stageProjectName } from './ids';
import { stageBranch } from './worktree-layout';

// The brief of a stage for the coding agent working in its worktree, in CLAUDE.local.md: the
// file Claude Code reads beside CLAUDE.md that is personal to this checkout, so the brief never
// shows in the stage's diff (the generator makes git ignore it).

export const BRIEF_FILE = 'CLAUDE.local.md';
const BEGIN = '<!-- nx-stages:agents begin: written by `nx g nx-stages:agents`, rewritten on each run -->';
const END = '<!-- nx-stages:agents end -->';

/** The brief's Markdown, between its markers. */
export function renderStageBrief(plan: Pick<Plan, 'stages' | 'settings'>, stage: Stage): string {
  const byId = new Map(plan.stages.map((other) => [other.id, other]));
  const project = stageProjectName(stage.id);
  const gates = gateNames(plan, stage);
  const lines = [
    BEGIN,
    `# Stage ${stage.id}: ${stage.name}`,
    '',
    `You work on stage ${stage.id} of the plan in \`${plan.settings.folder}/\` (\`${stage.file}\`), in this worktree, on branch \`${stageBranch(plan.settings, stage.id)}\`.`,
    ...(stage.value ? ['', `**Value:** ${stage.value}`] : []),
    '',
    "**Your files**: write only these. The `nx-stages guard` hook refuses a write outside this worktree or into another unmerged stage's files, and asks before any other.",
    ...(stage.files.length > 0 ? stage.files.map((pattern) => `- \`${pattern}\``) : ['- (none declared)']),
    `- \`${stage.folder}/\` (the stage's own folder)`,
    '',
    `**Depends on:** ${stage.dependsOn.length > 0 ? stage.dependsOn.map((id) => `${id} (${byId.get(id)?.name ?? 'not in the plan'})`).join(', ') : 'nothing'}.`,
    ...(stage.deliverables.length > 0 ? ['', '**Deliverables:**', ...stage.deliverables.map((item) => `- ${item}`)] : []),
    '',
    `**Gates** (${gates.join(', ') || 'none'}): \`nx run ${project}:gates\` (or \`npx nx-stages gates ${stage.id}\`) before you call the stage done; then \`nx run ${project}:proof\`.`,
    END,
  ];
  return lines.join('\n');
}

/** The stage's gates by name; none when its profile is not defined (validate says so). */
function gateNames(plan: Pick<Plan, 'settings'>, stage: Stage): string[] {
  try {
    return planGates(plan.settings, stage).map((gate) => gate.name);
  } catch {
    return [];
  }
}

/** `existing` with its brief section replaced (or added at the end); the rest stays as written. */
export function withStageBrief(existing: string | undefined, brief: string): string {
  const text = existing ?? '';
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END, begin);
  if (begin !== -1 && end !== -1) return `${text.slice(0, begin)}${brief}${text.slice(end + END.length)}`;
  if (text.trim() === '') return `${brief}\n`;
  return `${text}${text.endsWith('\n') ? '' : '\n'}\n${brief}\n`;
}
