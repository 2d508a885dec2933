// Real processes for the io/ specs about processes: started with argument arrays, stopped by
// the pid the spec started, never by name or by port.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';

/** A node process that runs `script` (its own code, no shell) in `cwd` until stopped. */
export function startNode(script: string, cwd: string, options: { detached?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['-e', script], { cwd, stdio: 'ignore', detached: options.detached ?? false });
}

/** Resolves once `child` has exited (at once when it has already). */
export function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A listener of the spec's own on a port the system picks: a "foreign" process holding a port. */
export async function listenAnywhere(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fixture: no port');
  return { server, port: address.port };
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A script that keeps node running until it is stopped. */
export const KEEP_ALIVE = 'setInterval(() => {}, 1000);';
