import { spawn } from 'node:child_process';

export interface ProcessExit {
  /** null when the process could not start or was ended by a signal. */
  exitCode: number | null;
  signal?: NodeJS.Signals;
  /** Why it could not start; undefined when it ran. */
  startError?: string;
  /** It could not start because the command is not on PATH (or not in the folder it names). */
  notFound?: boolean;
  durationMs: number;
}

export interface ProcessGroupRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** A command line for a shell: only for text the user wrote as one (a `run:` gate). */
  shell?: boolean;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
}

export interface ProcessGroup {
  /** Sends the signal to the whole group: the process and whatever it started. */
  signal(signal: NodeJS.Signals): void;
  /** Settles when the process has ended and its output pipes are closed; never rejects. */
  exited: Promise<ProcessExit>;
}

/**
 * Starts a program in a process group of its own (detached), so a signal reaches it and its
 * children together, and a Ctrl+C in the terminal reaches only the caller, which decides what to
 * forward. Arguments go as an array: no shell unless `shell` asks for one.
 */
export function startProcessGroup(command: string, args: readonly string[], request: ProcessGroupRequest): ProcessGroup {
  const started = Date.now();
  const child = spawn(command, args, { cwd: request.cwd, env: request.env, shell: request.shell ?? false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (request.onStdout) child.stdout?.on('data', request.onStdout);
  if (request.onStderr) child.stderr?.on('data', request.onStderr);
  let startError: NodeJS.ErrnoException | undefined;
  child.on('error', (error: NodeJS.ErrnoException) => (startError ??= error));
  let closed = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on('close', (code, signal) => {
      closed = true;
      const durationMs = Date.now() - started;
      if (startError && child.pid === undefined) {
        const notFound = startError.code === 'ENOENT';
        resolve({ exitCode: null, durationMs, startError: notFound ? notFoundText(command) : startError.message, ...(notFound ? { notFound } : {}) });
      } else resolve({ exitCode: code, durationMs, ...(signal ? { signal } : {}) });
    });
  });
  return {
    signal(signal) {
      // After 'close' the group may be gone and its id reused; before it, a child of the leader
      // may still hold the pipes after the leader itself exited, so the group is signalled anyway.
      if (child.pid === undefined || closed) return;
      try {
        // Negative pid: the whole group.
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    },
    exited,
  };
}

/** A bare name is looked up on PATH; a path (`./check.sh`) in the folder the process runs in. */
function notFoundText(command: string): string {
  return command.includes('/') ? `${command} does not exist` : `${command} was not found on PATH`;
}
