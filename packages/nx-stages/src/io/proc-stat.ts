import { readdirSync, readFileSync } from 'node:fs';

/** What Linux tells of a process in /proc/<pid>/stat; undefined where there is no /proc or no such process. */
export interface ProcStat {
  /** R, S, D, Z (zombie: exited, waiting to be reaped), T, … */
  state: string;
  ppid: number;
  pgrp: number;
  /** Clock ticks since boot when it started (field 22): with the pid, it names one process. */
  startTime: string;
}

export function procStat(pid: number, proc = '/proc'): ProcStat | undefined {
  try {
    const stat = readFileSync(`${proc}/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state).
    return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

/**
 * The processes of a group that still run (zombies left out: they run nothing and wait for a
 * reaper that may take its time). Undefined where there is no /proc.
 */
export function runningGroupMembers(pgid: number, proc = '/proc'): number[] | undefined {
  let names: string[];
  try {
    names = readdirSync(proc);
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name), proc);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(Number(name));
  }
  return members;
}

/**
 * Every process below `pid` (children, their children, …) with its start time, from one read of
 * /proc. Undefined where there is no /proc. Read while `pid` lives: once it has exited, its
 * orphans belong to init and no longer say where they came from.
 */
export function descendants(pid: number, proc = '/proc'): Map<number, string> | undefined {
  let names: string[];
  try {
    names = readdirSync(proc);
  } catch {
    return undefined;
  }
  const children = new Map<number, Array<{ pid: number; startTime: string }>>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name), proc);
    if (!stat || stat.state === 'Z' || stat.state === 'X') continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push({ pid: Number(name), startTime: stat.startTime });
    children.set(stat.ppid, siblings);
  }
  const found = new Map<number, string>();
  const pending = [pid];
  while (pending.length > 0) {
    for (const child of children.get(pending.pop()!) ?? []) {
      if (found.has(child.pid)) continue;
      found.set(child.pid, child.startTime);
      pending.push(child.pid);
    }
  }
  return found;
}

/** The process `pid` runs, not a zombie, and is the one that started at `startTime`. */
export function stillRuns(pid: number, startTime: string, proc = '/proc'): boolean {
  const stat = procStat(pid, proc);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X' && stat.startTime === startTime;
}
