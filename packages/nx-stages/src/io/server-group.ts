import { spawn } from 'node:child_process';
import { descendants, runningGroupMembers, stillRuns } from './proc-stat';

export interface GroupExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the program could not start; undefined when it ran. */
  startError?: string;
}

export interface StartedGroup {
  /** The leader's pid, which is also the group's id. */
  pid: number;
  /** Settles when the leader has exited and nothing it started runs any more. */
  exited: Promise<GroupExit>;
  /** SIGTERM to the group, SIGKILL to what is left of it and below it after `graceMs`; settles once none of it runs. */
  stop: (graceMs?: number) => Promise<GroupExit>;
}

/** How often the processes below the leader are looked up while it runs. */
const WATCH_MS = 1_000;

/**
 * Starts a program (argv, no shell) as the leader of a process group of its own, with the
 * caller's streams, and stops exactly what it started: by the pid it started, never by who holds
 * a port. What the leader starts is not always in its group — Nx starts each task's command in a
 * session of its own (run-commands: `spawn(…, { detached: true })`) — so the processes below the
 * leader are also remembered (pid and start time, from /proc, looked up as it runs) and stopped
 * too when SIGTERM to the group left them running. Without /proc (macOS) only the group is known.
 */
export function startGroup(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): StartedGroup | { startError: string } {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
  if (child.pid === undefined) return { startError: `${command} could not start` };
  const pid = child.pid;
  const below = new Map<number, string>();
  const look = () => {
    for (const [descendant, startTime] of descendants(pid) ?? []) below.set(descendant, startTime);
  };
  const watch = setInterval(look, WATCH_MS);
  watch.unref();
  const leaderExit = new Promise<GroupExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, startError: error.message }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  void leaderExit.then(() => clearInterval(watch));
  const gone = () => groupGone(pid) && [...below].every(([descendant, startTime]) => !stillRuns(descendant, startTime));
  const waitGone = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!gone()) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  };
  let stopping: Promise<GroupExit> | undefined;
  const stop = (graceMs = 10_000) => {
    stopping ??= (async () => {
      look();
      // The group first, alone: Nx, its leader, then stops its own tasks in their order.
      signalGroup(pid, 'SIGTERM');
      if (!(await waitGone(graceMs))) {
        signalGroup(pid, 'SIGKILL');
        for (const [descendant, startTime] of below) if (stillRuns(descendant, startTime)) signal(descendant, 'SIGKILL');
        await waitGone(graceMs);
      }
      return leaderExit;
    })();
    return stopping;
  };
  // The leader is gone by itself; what it started may still be closing (a dev server's own
  // children). Left running past a moment, they would be orphans of a server nobody records.
  const exited = leaderExit.then(async (exit) => {
    if (!(await waitGone(2_000))) await stop();
    return exit;
  });
  return { pid, exited, stop };
}

function signalGroup(pgid: number, name: NodeJS.Signals): void {
  signal(-pgid, name);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: gone already.
  }
}

/**
 * True once no process of the group runs any more; false after `timeoutMs`. Where /proc tells,
 * zombies count as gone (the orphans of the group are reaped by init, sometimes a second later);
 * elsewhere signal 0 to the group answers.
 */
export async function waitForGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (groupGone(pgid)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function groupGone(pgid: number): boolean {
  const members = runningGroupMembers(pgid);
  if (members) return members.length === 0;
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
