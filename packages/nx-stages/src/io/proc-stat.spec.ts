import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { descendants, procStat, runningGroupMembers, stillRuns } from './proc-stat';

useTempRepos();

/** A /proc of made-up processes: pid → [command name, state, ppid, pgrp, start time]. */
function fakeProc(processes: Record<number, [string, string, number, number, number]>): string {
  const proc = makeTempDir();
  for (const [pid, [name, state, ppid, pgrp, start]] of Object.entries(processes)) {
    mkdirSync(join(proc, pid));
    // Fields 3… as Linux writes them; field 22 is the start time.
    const rest = [state, ppid, pgrp, pgrp, 0, -1, 4194560, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 1, 0, start, 0, 0];
    writeFileSync(join(proc, pid, 'stat'), `${pid} (${name}) ${rest.join(' ')}\n`);
  }
  return proc;
}

describe('proc-stat', () => {
  // Made again for each test: the temp folders go after each one.
  const proc = () =>
    fakeProc({
      10: ['nx', 'S', 1, 10, 500],
      11: ['sh', 'S', 10, 11, 510],
      12: ['node (server) x', 'S', 11, 11, 520],
      13: ['zombie', 'Z', 10, 10, 530],
      14: ['other', 'S', 1, 14, 540],
    });

  it('reads a process even when its command name holds spaces and parentheses', () => {
    expect(procStat(12, proc())).toEqual({ state: 'S', ppid: 11, pgrp: 11, startTime: '520' });
    expect(procStat(99, proc())).toBeUndefined();
  });

  it('finds what runs below a process, also in another group, zombies left out', () => {
    expect([...(descendants(10, proc()) ?? [])]).toEqual([
      [11, '510'],
      [12, '520'],
    ]);
    expect(runningGroupMembers(10, proc())).toEqual([10]);
  });

  it('tells a process from another one that got its pid later', () => {
    expect([stillRuns(12, '520', proc()), stillRuns(12, '519', proc()), stillRuns(13, '530', proc())]).toEqual([true, false, false]);
  });

  it('knows nothing where there is no /proc', () => {
    const none = join(makeTempDir(), 'none');
    expect([descendants(10, none), runningGroupMembers(10, none)]).toEqual([undefined, undefined]);
  });
});
