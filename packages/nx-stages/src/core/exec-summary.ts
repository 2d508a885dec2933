// What `nx-stages exec` says about the commands it ran in the stage worktrees: the prefix of
// each live line, the status of each run, and the summary table at the end.
import { formatDuration } from './gates/gates-result';
import { renderTable } from './table';

/**
 * passed / failed: the command exited 0 / non-zero (or a signal ended it); not-found: it could
 * not start (exit 127, as a shell says it); interrupted: exec forwarded a Ctrl+C or SIGTERM to it;
 * not-run: exec was interrupted before its turn came.
 */
export type ExecStatus = 'passed' | 'failed' | 'not-found' | 'interrupted' | 'not-run';

export interface ExecRun {
  id: string;
  /** The worktree's absolute path. */
  path: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  status: ExecStatus;
}

/** The exit codes a shell gives a command it cannot find, and one it cannot execute. */
export const NOT_FOUND_EXIT = 127;
export const CANNOT_EXECUTE_EXIT = 126;

/** `9.1  | line`: ids padded to the longest, so the output of several stages lines up. */
export function prefixLine(id: string, idWidth: number, line: string): string {
  return `${id.padEnd(idWidth)} | ${line}`;
}

/** The exit column: the code, the signal, or what stopped the command from running. */
export function exitText(run: Pick<ExecRun, 'exitCode' | 'signal' | 'status'>): string {
  if (run.status === 'not-found') return `${NOT_FOUND_EXIT} not found`;
  if (run.status === 'not-run') return 'not run';
  const code = run.exitCode ?? run.signal ?? '?';
  return run.status === 'interrupted' ? `${code} interrupted` : String(code);
}

export interface SummaryContext {
  /** The path to show for a worktree (relative to where the user stands, so the table stays narrow). */
  shown: (path: string) => string;
  /** Stages left out because they have no worktree. */
  skipped?: readonly string[];
  /** The signal that interrupted exec, if one did. */
  interrupted?: string;
}

/** The table of every run, then one line saying how it went. */
export function renderExecSummary(runs: readonly ExecRun[], context: SummaryContext): string {
  const table = renderTable(
    ['stage', 'worktree', 'exit', 'duration'],
    runs.map((run) => [run.id, context.shown(run.path), exitText(run), run.status === 'not-run' ? '-' : formatDuration(run.durationMs)]),
  );
  return [...table, '', closingLine(runs, context)].join('\n');
}

function closingLine(runs: readonly ExecRun[], context: SummaryContext): string {
  const skipped = context.skipped ?? [];
  const without = skipped.length ? `; skipped (no worktree): ${skipped.join(', ')}` : '';
  const ids = (status: ExecStatus) => runs.filter((run) => run.status === status).map((run) => run.id);
  if (context.interrupted) {
    const parts = [`${context.interrupted}: stopped ${list(ids('interrupted'))}`, ...(ids('not-run').length ? [`not run ${list(ids('not-run'))}`] : [])];
    return `interrupted by ${parts.join(', ')}${without}`;
  }
  const failing = runs.filter((run) => run.status !== 'passed');
  if (failing.length === 0) return `the command passed in ${runs.length === 1 ? 'the one worktree' : `all ${runs.length} worktrees`}${without}`;
  return `the command failed in ${failing.length} of ${runs.length} worktrees: ${failing.map((run) => `stage ${run.id} (${run.status === 'failed' && run.exitCode !== null ? `exit ${run.exitCode}` : exitText(run)})`).join(', ')}${without}`;
}

function list(ids: readonly string[]): string {
  return ids.length ? ids.join(', ') : 'none';
}
