import { spawn } from 'node:child_process';
import { runningGroupMembers } from './proc-stat';

export interface GroupExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the program could not start; undefined when it ran. */
  startError?: string;
}

export interface StartedGroup {
  /** The leader's pid, which is also the group's id. */
  pid: number;
  /** Settles when the leader has exited and the last process of its group is gone. */
  exited: Promise<GroupExit>;
  /** Signals the whole group (SIGTERM, then SIGKILL to what is left after `graceMs`) and waits for it to be gone. */
  stop: (graceMs?: number) => Promise<GroupExit>;
}

/**
 * Starts a program (argv, no shell) as the leader of a process group of its own, with the
 * caller's streams: what it starts (Nx, its executor, the dev server) joins the group, and only
 * the group is ever signalled — by the pid this started, never by who holds a port.
 */
export function startGroup(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): StartedGroup | { startError: string } {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
  if (child.pid === undefined) {
    // spawn reports a missing program on the next tick, with no pid: wait for the reason.
    return { startError: `${command} could not start` };
  }
  const pid = child.pid;
  const leaderExit = new Promise<GroupExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, startError: error.message }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const exited = leaderExit.then(async (exit) => {
    // The leader is gone; what it started may still be closing (a dev server's own children).
    await waitForGroupGone(pid, 10_000);
    return exit;
  });
  let stopping: Promise<GroupExit> | undefined;
  const stop = (graceMs = 10_000) => {
    stopping ??= (async () => {
      signalGroup(pid, 'SIGTERM');
      if (!(await waitForGroupGone(pid, graceMs))) signalGroup(pid, 'SIGKILL');
      await waitForGroupGone(pid, graceMs);
      return leaderExit;
    })();
    return stopping;
  };
  return { pid, exited, stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
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
