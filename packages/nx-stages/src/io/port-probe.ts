import { createServer } from 'node:net';

export type PortState = 'free' | 'taken' | 'forbidden';

/**
 * Whether a server could listen on `port` now: the probe listens on it itself and lets go at
 * once. Tried on every address a dev server commonly takes (all interfaces, then the loopbacks),
 * since something holding only 127.0.0.1 still blocks `localhost`. Never connects to, let alone
 * stops, what holds the port.
 */
export async function probePort(port: number): Promise<PortState> {
  for (const host of [undefined, '127.0.0.1', '::1']) {
    const state = await listenOnce(port, host);
    if (state !== 'free') return state;
  }
  return 'free';
}

function listenOnce(port: number, host: string | undefined): Promise<PortState | 'free'> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      // No IPv6 on this machine: that address cannot be held by anyone either.
      if (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') resolve('free');
      else resolve(error.code === 'EACCES' ? 'forbidden' : 'taken');
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve('free')));
  });
}
