import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { WorktreeProcess, WorktreeResources } from '../core/serve-report';
import { canonicalPath } from '../git/paths';

/**
 * What each stage worktree takes: the processes working in it (their current folder is inside
 * it: a dev server, a test run, an agent), their memory, and its disk use.
 */
export async function worktreeResources(worktrees: ReadonlyArray<{ stage: string; path: string; diskBytes?: number }>, proc = '/proc'): Promise<WorktreeResources[]> {
  const processes = await processesByFolder(proc);
  return Promise.all(
    worktrees.map(async ({ stage, path, diskBytes }) => {
      const folder = canonicalPath(path);
      const inside = processes && processes.filter((process) => process.cwd === folder || process.cwd.startsWith(folder + sep));
      // A caller that walked the worktree already (status) gives its count: a worktree is walked once.
      const disk = diskBytes ?? (await diskUsage(path));
      return { stage, worktree: path, processes: inside ? inside.map(({ pid, command, rssBytes }) => ({ pid, command, rssBytes })) : null, diskBytes: disk };
    }),
  );
}

/**
 * Every process this user may inspect, with its working folder (Linux: /proc/<pid>/cwd). Others'
 * processes are skipped: their cwd cannot be read. Null where there is no /proc (macOS, Windows).
 */
export async function processesByFolder(proc = '/proc'): Promise<Array<WorktreeProcess & { cwd: string }> | null> {
  let entries: string[];
  try {
    entries = (await readdir(proc)).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const found = await Promise.all(
    entries.map(async (name) => {
      try {
        const [cwd, status, cmdline] = await Promise.all([
          readlink(join(proc, name, 'cwd')),
          readFile(join(proc, name, 'status'), 'utf8'),
          readFile(join(proc, name, 'cmdline'), 'utf8'),
        ]);
        // A kernel thread has no memory of its own and an empty command line.
        const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
        const command = cmdline.split('\0').filter(Boolean).join(' ') || (/^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?');
        return { pid: Number(name), cwd, command, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
      } catch {
        return undefined; // gone meanwhile, or not ours
      }
    }),
  );
  return found.filter((process): process is WorktreeProcess & { cwd: string } => process !== undefined);
}

/** Bytes under `dir`, not following links (a node_modules linked to the main checkout costs nothing) and not counting git's own data. */
export async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      if (current === dir && entry.name === '.git') continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else total += (await lstat(path).catch(() => ({ size: 0 }))).size;
    }
  }
  return total;
}
