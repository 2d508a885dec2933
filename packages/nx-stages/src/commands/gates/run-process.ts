import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

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
const running = new Set<ReturnType<typeof spawn>>();

export function stopRunningProcesses(signal: NodeJS.Signals = 'SIGTERM'): void {
  for (const child of running) {
    // Negative pid: the whole process group (a shell and what it started).
    if (child.pid) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    }
  }
}

/**
 * Runs a program (argv, no shell) or a command line (shell: true, for user-written `run:` gates
 * only: their own text from stages.yaml, nothing of ours interpolated into it), writing its full
 * output to the report file. Never rejects: a program that cannot start is an outcome too.
 */
export function runProcess(command: string, args: readonly string[], request: ProcessRequest & { shell?: boolean }): Promise<ProcessOutcome> {
  const started = Date.now();
  const report = createWriteStream(request.reportFile);
  report.write(`$ ${request.header}\n\n`);
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { cwd: request.cwd, env: request.env, shell: request.shell ?? false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const partial = { stdout: '', stderr: '' };
    const capture = (into: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString();
      if (request.onLine) {
        const lines = (partial[into] + text).split('\n');
        partial[into] = lines.pop() ?? '';
        for (const line of lines) request.onLine(line);
      }
      // Kept in memory only up to a limit (audit JSON, nx's project lists); the report has it all.
      if (into === 'stdout' && stdout.length < KEEP_CHARS) stdout += text;
      else if (into === 'stderr' && stderr.length < KEEP_CHARS) stderr += text;
      report.write(text);
    };
    child.stdout?.on('data', capture('stdout'));
    child.stderr?.on('data', capture('stderr'));
    let startError: string | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      startError = error.code === 'ENOENT' ? `${command} was not found on PATH` : error.message;
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      const outcome: ProcessOutcome = { exitCode: code, durationMs: Date.now() - started, stdout, stderr, ...(startError ? { startError } : {}), ...(signal ? { signal } : {}) };
      report.end(`\n[exit ${code ?? signal ?? 'none'}${startError ? `: ${startError}` : ''} after ${outcome.durationMs} ms]\n`, () => resolve(outcome));
    });
  });
}
