import { createWriteStream } from 'node:fs';
import { splitLines } from '../../io/line-splitter';
import { startProcessGroup, type ProcessGroup } from '../../io/process-group';

export interface ProcessOutcome {
  /** null when the process could not start or was killed by a signal. */
  exitCode: number | null;
  /** Why it could not start (command not found, …); undefined when it ran. */
  startError?: string;
  signal?: NodeJS.Signals;
  durationMs: number;
  stdout: string;
  stderr: string;
}

export interface ProcessRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Full output goes here as it comes (the gate's report), stdout and stderr interleaved. */
  reportFile: string;
  /** First line of the report: what ran, for people reading it later. */
  header: string;
  /** Each complete line of output as it comes (stdout and stderr), for live progress. */
  onLine?: (line: string) => void;
}

const KEEP_CHARS = 16 * 1024 * 1024;

/** Processes still running, so an interrupted gates run can stop them instead of leaving them behind. */
const running = new Set<ProcessGroup>();

export function stopRunningProcesses(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const group of running) group.signal(signal);
}

/**
 * Runs a program (argv, no shell) or a command line (shell: true, for user-written `run:` gates
 * only: their own text from stages.yaml, nothing of ours interpolated into it), writing its full
 * output to the report file. Never rejects: a program that cannot start is an outcome too.
 */
export async function runProcess(command: string, args: readonly string[], request: ProcessRequest & { shell?: boolean }): Promise<ProcessOutcome> {
  const report = createWriteStream(request.reportFile);
  report.write(`$ ${request.header}\n\n`);
  const kept = { stdout: '', stderr: '' };
  const lines = { stdout: splitLines((line) => request.onLine?.(line)), stderr: splitLines((line) => request.onLine?.(line)) };
  const capture = (into: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (request.onLine) lines[into].push(chunk);
    // Kept in memory only up to a limit (audit JSON, nx's project lists); the report has it all.
    if (kept[into].length < KEEP_CHARS) kept[into] += chunk.toString();
    report.write(chunk);
  };
  const group = startProcessGroup(command, args, { cwd: request.cwd, env: request.env, shell: request.shell, onStdout: capture('stdout'), onStderr: capture('stderr') });
  running.add(group);
  const exit = await group.exited;
  running.delete(group);
  lines.stdout.end();
  lines.stderr.end();
  const outcome: ProcessOutcome = {
    exitCode: exit.exitCode,
    durationMs: exit.durationMs,
    stdout: kept.stdout,
    stderr: kept.stderr,
    ...(exit.startError ? { startError: exit.startError } : {}),
    ...(exit.signal ? { signal: exit.signal } : {}),
  };
  return new Promise((resolve) =>
    report.end(`\n[exit ${exit.exitCode ?? exit.signal ?? 'none'}${exit.startError ? `: ${exit.startError}` : ''} after ${exit.durationMs} ms]\n`, () => resolve(outcome)),
  );
}
