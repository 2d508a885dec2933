import { formatBytes } from './bytes';
import { renderTable } from './table';

/**
 * What `nx run stage-<id>:serve` records while its dev server runs (under the git common dir),
 * and what `status` shows of it.
 */
export interface ServerRecord {
  stage: string;
  project: string;
  target: string;
  /** Leader of the server's process group: what stopping signals, never the port. */
  pid: number;
  port: number;
  url: string;
  worktree: string;
  /** ISO time the server was started. */
  startedAt: string;
  /**
   * The kernel's start time of `pid` (Linux: field 22 of /proc/<pid>/stat), so a pid reused by
   * another process after ours died is not taken for our server. Absent where it cannot be read.
   */
  processStart?: string;
}

export function renderServers(servers: readonly ServerRecord[], now: Date): string[] {
  if (servers.length === 0) return ['No stage servers are running (nx run stage-<id>:serve starts one).'];
  const rows = [...servers]
    .sort((a, b) => a.stage.localeCompare(b.stage, undefined, { numeric: true }))
    .map((server) => [server.stage, `${server.project}:${server.target}`, String(server.pid), String(server.port), server.url, since(server.startedAt, now)]);
  return renderTable(['stage', 'serves', 'pid', 'port', 'url', 'running for'], rows);
}

function since(startedAt: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(startedAt)) / 1000));
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export interface WorktreeProcess {
  pid: number;
  /** The program and its arguments, as the kernel has them. */
  command: string;
  rssBytes: number;
}

/** One stage worktree's share of the machine: what runs in it and what it takes on disk. */
export interface WorktreeResources {
  stage: string;
  worktree: string;
  /** Processes whose working folder is inside the worktree; null where the platform cannot tell. */
  processes: WorktreeProcess[] | null;
  /** Bytes on disk, not following links (a linked node_modules costs nothing). */
  diskBytes: number;
}

export function renderResources(rows: readonly WorktreeResources[]): string[] {
  if (rows.length === 0) return ['No stage worktrees.'];
  const table = [...rows]
    .sort((a, b) => a.stage.localeCompare(b.stage, undefined, { numeric: true }))
    .map((row) => [
      row.stage,
      row.worktree,
      row.processes === null ? '—' : String(row.processes.length),
      row.processes === null ? '—' : formatBytes(row.processes.reduce((sum, process) => sum + process.rssBytes, 0)),
      formatBytes(row.diskBytes),
      row.processes === null ? '' : programs(row.processes),
    ]);
  return renderTable(['stage', 'worktree', 'processes', 'memory', 'disk', 'programs'], table);
}

/** The programs running, by name and count: `node ×3, vite`. */
function programs(processes: readonly WorktreeProcess[]): string {
  const counts = new Map<string, number>();
  for (const process of processes) {
    const name = process.command.split(/\s+/)[0].split('/').pop() || '?';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => (count > 1 ? `${name} ×${count}` : name))
    .join(', ');
}
