import type { Stage } from '../../core/model';

/** The stage's plan page: a starting point for notes; stage.yaml stays the source of truth. */
export function renderStageReadme(stage: Stage, planProject: string): string {
  const list = (items: string[], empty: string, format = (item: string) => item) => (items.length > 0 ? items.map((item) => `- ${format(item)}`).join('\n') : empty);
  return `# Stage ${stage.id}: ${stage.name}

${stage.value ? `> ${stage.value}` : '> Value: not stated yet — add `value:` to stage.yaml.'}

| | |
|---|---|
| Duration | ${stage.duration} |
| Priority | ${stage.priority} |
| Depends on | ${stage.dependsOn.join(', ') || '—'} |
| Assignee | ${stage.assignee ?? '—'} |
| Gate profile | ${stage.profile} |

## Files owned

${list(stage.files, '_None declared yet: list them under `files:` in stage.yaml._', (file) => `\`${file}\``)}

## Deliverables

${list(stage.deliverables, '_None listed yet._', (item) => `[ ] ${item}`)}

stage.yaml is the source of truth; run \`nx run ${planProject}:validate\` after editing it.
`;
}
