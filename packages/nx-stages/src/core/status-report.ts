import { readiness, readinessLine, type WaitingStage } from './ready';
import { renderResources, renderServers, type ServerRecord, type WorktreeResources } from './serve-report';
import { renderTable } from './table';
import { formatBytes } from './bytes';

/** How a stage branch's local copy stands to the remote's (git/remote CopyRelation). */
export type BranchCopy = 'same' | 'local-only' | 'remote-only' | 'local-ahead' | 'local-behind' | 'diverged' | 'none';

/** The remote status read stage branches from, and when this clone last fetched it. */
export interface StatusRemote {
  name: string;
  /** ISO time of the last fetch; undefined = never fetched. */
  fetchedAt?: string;
}

/** What `status` knows about one stage; every field derived from the plan or from git. */
export interface StageStatus {
  id: string;
  name: string;
  group: string | null;
  dependsOn: string[];
  assignee: string | null;
  branch: string;
  branchExists: boolean;
  /** With a remote: how the local and remote copies of the branch stand; null without a remote. */
  copy: BranchCopy | null;
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

export interface StatusRenderOptions {
  by?: 'assignee';
  /** The remote the rows were read with; absent = local only. */
  remote?: StatusRemote;
  /** The time "fetched … ago" and a server's "running for" are counted from. */
  now?: Date;
  /** The stage dev servers running now: a section under the table when any runs. */
  servers?: readonly ServerRecord[];
  /** Each stage worktree's processes, memory and disk (`--resources`): a section when given. */
  resources?: readonly WorktreeResources[];
}

/** Which stages can start now and which wait, from the rows alone: merged, and started (a branch here or on the remote). */
export function statusReadiness(stages: readonly StageStatus[]): { ready: string[]; waiting: WaitingStage[] } {
  const merged = new Set(stages.filter((stage) => stage.merged).map((stage) => stage.id));
  const started = new Set(stages.filter((stage) => stage.branchExists || stage.copy === 'remote-only').map((stage) => stage.id));
  return readiness(stages, { merged, started });
}

/** The status table; with `by: 'assignee'`, one table per person (the team overview). */
export function renderStatus(stages: readonly StageStatus[], base: string, options: StatusRenderOptions = {}): string[] {
  if (stages.length === 0) return ['No stages in the plan yet.'];
  const headers = options.remote ? [...HEADERS.slice(0, 5), 'Remote', ...HEADERS.slice(5)] : HEADERS;
  const lines: string[] = [];
  const groups = options.by === 'assignee' ? groupByAssignee(stages) : new Map([['', [...stages]]]);
  for (const [assignee, members] of groups) {
    // A blank line between two people's tables, none before the first.
    if (options.by === 'assignee') lines.push(...(lines.length > 0 ? [''] : []), `${assignee || 'unassigned'} (${members.length})`);
    lines.push(
      ...renderTable(
        headers,
        members.map((stage) => row(stage, options.remote)),
      ),
    );
  }
  const merged = stages.filter((stage) => stage.merged).length;
  const active = stages.filter((stage) => stage.worktree).length;
  lines.push('', `${stages.length} stages · ${active} with a worktree · ${merged} merged into ${base}`);
  lines.push(readinessLine(statusReadiness(stages)));
  lines.push(remoteLine(options));
  const servers = options.servers ?? [];
  if (servers.length > 0) lines.push('', `dev servers running (${servers.length}):`, ...renderServers(servers, options.now ?? new Date()));
  if (options.resources) lines.push('', 'stage worktrees: processes, memory, disk', ...renderResources(options.resources));
  return lines;
}

function remoteLine(options: StatusRenderOptions): string {
  if (!options.remote) return 'branches: local only (no remote)';
  const { name, fetchedAt } = options.remote;
  if (!fetchedAt) return `remote ${name}: never fetched here — \`--fetch\` reads teammates' branches`;
  return `remote ${name}: fetched ${ago(Date.parse(fetchedAt), (options.now ?? new Date()).getTime())} — \`--fetch\` refreshes`;
}

function ago(then: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - then) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

const COPY_TEXT: Record<BranchCopy, (remote: string) => string> = {
  same: () => 'pushed',
  'local-only': () => 'not pushed',
  'remote-only': (remote) => `${remote} only`,
  'local-ahead': () => 'unpushed commits',
  'local-behind': (remote) => `behind ${remote}`,
  diverged: (remote) => `diverged from ${remote}`,
  none: () => '—',
};

function row(stage: StageStatus, remote: StatusRemote | undefined): string[] {
  const copy = stage.copy ?? 'none';
  const branch = stage.branchExists ? stage.branch : copy === 'remote-only' && remote ? `${remote.name}/${stage.branch}` : '—';
  return [
    `${stage.id} ${stage.name}`,
    stage.group ?? '—',
    stage.dependsOn.join(',') || '—',
    stage.assignee ?? '—',
    branch,
    ...(remote ? [COPY_TEXT[copy](remote.name)] : []),
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
