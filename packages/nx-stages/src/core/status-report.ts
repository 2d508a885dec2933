import { renderTable } from './table';

/** What `status` knows about one stage; every field derived from the plan or from git. */
export interface StageStatus {
  id: string;
  name: string;
  group: string | null;
  dependsOn: string[];
  assignee: string | null;
  branch: string;
  branchExists: boolean;
  worktree: string | null;
  ahead: number | null;
  behind: number | null;
  uncommitted: number | null;
  merged: boolean;
  /** Gates running now, or the latest result: pass, fail, stale (the branch changed since), or null (none). */
  gates: 'running' | 'pass' | 'fail' | 'stale' | null;
  /** Proof committed on the branch: valid, invalid (stale or edited), or null (none). */
  proof: 'valid' | 'invalid' | null;
  /** Bytes in the worktree, not following links (a linked node_modules costs nothing). */
  diskBytes: number | null;
}

const HEADERS = ['Stage', 'Group', 'Deps', 'Assignee', 'Branch', 'Worktree', '↑ahead ↓behind', 'Changes', 'Gates', 'Proof', 'Merged', 'Disk'];

/** The status table; with `by: 'assignee'`, one table per person (the team overview). */
export function renderStatus(stages: readonly StageStatus[], base: string, options: { by?: 'assignee' } = {}): string[] {
  if (stages.length === 0) return ['No stages in the plan yet.'];
  const lines: string[] = [];
  const groups = options.by === 'assignee' ? groupByAssignee(stages) : new Map([['', [...stages]]]);
  for (const [assignee, members] of groups) {
    // A blank line between two people's tables, none before the first.
    if (options.by === 'assignee') lines.push(...(lines.length > 0 ? [''] : []), `${assignee || 'unassigned'} (${members.length})`);
    lines.push(
      ...renderTable(
        HEADERS,
        members.map((stage) => row(stage)),
      ),
    );
  }
  const merged = stages.filter((stage) => stage.merged).length;
  const active = stages.filter((stage) => stage.worktree).length;
  lines.push('', `${stages.length} stages · ${active} with a worktree · ${merged} merged into ${base}`);
  return lines;
}

function row(stage: StageStatus): string[] {
  return [
    `${stage.id} ${stage.name}`,
    stage.group ?? '—',
    stage.dependsOn.join(',') || '—',
    stage.assignee ?? '—',
    stage.branchExists ? stage.branch : '—',
    stage.worktree ?? '—',
    stage.ahead === null ? '—' : `↑${stage.ahead} ↓${stage.behind}`,
    stage.uncommitted === null ? '—' : stage.uncommitted === 0 ? 'clean' : `${stage.uncommitted} file${stage.uncommitted === 1 ? '' : 's'}`,
    stage.gates ?? '—',
    stage.proof ?? '—',
    stage.merged ? 'yes' : 'no',
    stage.diskBytes === null ? '—' : formatBytes(stage.diskBytes),
  ];
}

function groupByAssignee(stages: readonly StageStatus[]): Map<string, StageStatus[]> {
  const byAssignee = new Map<string, StageStatus[]>();
  for (const stage of stages) byAssignee.set(stage.assignee ?? '', [...(byAssignee.get(stage.assignee ?? '') ?? []), stage]);
  return new Map([...byAssignee].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b))));
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
