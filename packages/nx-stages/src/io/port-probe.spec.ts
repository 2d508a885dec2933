import { probePort } from './port-probe';
import { close, listenAnywhere } from './test-support/processes';

describe('probePort', () => {
  it('sees a port someone listens on as taken, leaves that listener alone, and free once it is closed', async () => {
    const { server, port } = await listenAnywhere();
    expect(await probePort(port)).toBe('taken');
    expect(server.listening).toBe(true);
    await close(server);
    expect(await probePort(port)).toBe('free');
  });
});
