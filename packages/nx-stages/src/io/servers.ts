import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerRecord } from '../core/serve-report';
import { procStat } from './proc-stat';

/**
 * The record of each running stage server, one file per stage under the git folder every
 * worktree shares: `status` run from any checkout finds them, and nothing lands in a working tree.
 */
export function serversFolder(commonDir: string): string {
  return join(commonDir, 'nx-stages', 'servers');
}

function recordFile(commonDir: string, stage: string): string {
  return join(serversFolder(commonDir), `stage-${encodeURIComponent(stage)}.json`);
}

export function writeServerRecord(commonDir: string, record: ServerRecord): void {
  mkdirSync(serversFolder(commonDir), { recursive: true });
  const file = recordFile(commonDir, record.stage);
  // Written aside and renamed: a reader never sees half a record.
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
}

/** Removes the stage's record, only when it is still the one of this pid (a newer server's stays). */
export function removeServerRecord(commonDir: string, stage: string, pid: number): void {
  const file = recordFile(commonDir, stage);
  const current = readRecord(file);
  if (current === undefined || current.pid === pid) rmSync(file, { force: true });
}

/** The stage's server when its process still runs. */
export function runningServer(commonDir: string, stage: string): ServerRecord | undefined {
  const record = readRecord(recordFile(commonDir, stage));
  return record && isOurProcess(record) ? record : undefined;
}

/**
 * Every stage server that still runs. A record whose process is gone (a server killed with
 * SIGKILL, a machine restarted) is removed: it describes nothing any more.
 */
export function runningServers(commonDir: string): ServerRecord[] {
  const folder = serversFolder(commonDir);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const running: ServerRecord[] = [];
  for (const name of names.filter((entry) => /^stage-.+\.json$/.test(entry))) {
    const record = readRecord(join(folder, name));
    if (record && isOurProcess(record)) running.push(record);
    else rmSync(join(folder, name), { force: true });
  }
  return running;
}

function readRecord(file: string): ServerRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as ServerRecord;
    return typeof record.pid === 'number' && typeof record.stage === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Alive, and the same process: its start time still matches where the kernel tells it. */
export function isOurProcess(record: Pick<ServerRecord, 'pid' | 'processStart'>): boolean {
  if (!isAlive(record.pid)) return false;
  const start = processStartTime(record.pid);
  return record.processStart === undefined || start === undefined || start === record.processStart;
}

/** Running: signal 0 reaches it, and it is no zombie (exited, not yet reaped). */
export function isAlive(pid: number): boolean {
  const state = procStat(pid)?.state;
  if (state === 'Z' || state === 'X') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When the kernel started `pid` (see ProcStat); undefined off Linux. */
export function processStartTime(pid: number): string | undefined {
  return procStat(pid)?.startTime;
}
