import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerRecord } from '../core/serve-report';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { isOurProcess, processStartTime, removeServerRecord, runningServer, runningServers, serversFolder, writeServerRecord } from './servers';
import { exitOf, KEEP_ALIVE, startNode } from './test-support/processes';

useTempRepos();

const record = (stage: string, pid: number, processStart?: string): ServerRecord => ({
  stage,
  project: 'cart',
  target: 'serve',
  pid,
  port: 4301,
  url: 'http://localhost:4301/',
  worktree: '/somewhere',
  startedAt: new Date().toISOString(),
  ...(processStart === undefined ? {} : { processStart }),
});

describe('server records', () => {
  it('lists the servers whose process runs and removes the records of dead ones', async () => {
    const commonDir = makeTempDir();
    const alive = startNode(KEEP_ALIVE, commonDir);
    const dead = startNode('', commonDir);
    await exitOf(dead);
    try {
      writeServerRecord(commonDir, record('1', alive.pid!, processStartTime(alive.pid!)));
      writeServerRecord(commonDir, record('2', dead.pid!));
      expect(runningServers(commonDir).map((server) => server.stage)).toEqual(['1']);
      expect(readdirSync(serversFolder(commonDir))).toEqual(['stage-1.json']);
      expect(runningServer(commonDir, '1')?.pid).toBe(alive.pid);
      expect(runningServer(commonDir, '2')).toBeUndefined();
    } finally {
      alive.kill();
      await exitOf(alive);
    }
    expect(runningServers(commonDir)).toEqual([]);
  });

  it('does not take a live process with another start time for ours (a reused pid)', async () => {
    const other = startNode(KEEP_ALIVE, makeTempDir());
    try {
      const start = processStartTime(other.pid!);
      if (start === undefined) return; // no /proc here: the start time cannot be compared
      expect(isOurProcess({ pid: other.pid!, processStart: start })).toBe(true);
      expect(isOurProcess({ pid: other.pid!, processStart: String(Number(start) - 1) })).toBe(false);
    } finally {
      other.kill();
      await exitOf(other);
    }
  });

  it('removes a record only when it is still the one of that pid', () => {
    const commonDir = makeTempDir();
    writeServerRecord(commonDir, record('1', process.pid));
    removeServerRecord(commonDir, '1', process.pid + 1);
    expect(existsSync(join(serversFolder(commonDir), 'stage-1.json'))).toBe(true);
    removeServerRecord(commonDir, '1', process.pid);
    expect(existsSync(join(serversFolder(commonDir), 'stage-1.json'))).toBe(false);
    expect(runningServers(makeTempDir())).toEqual([]);
  });
});
