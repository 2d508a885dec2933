import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { diskUsage, processesByFolder, worktreeResources } from './resources';
import { exitOf, KEEP_ALIVE, startNode } from './test-support/processes';

useTempRepos();

describe('worktreeResources', () => {
  it('finds the processes working inside each worktree, with their memory, and its disk use', async () => {
    if ((await processesByFolder()) === null) return; // no /proc: processes cannot be told apart by folder
    const one = makeTempDir();
    const two = makeTempDir();
    mkdirSync(join(one, 'src'));
    writeFileSync(join(one, 'src', 'app.js'), 'x'.repeat(1000));
    const inside = startNode(KEEP_ALIVE, join(one, 'src'));
    try {
      // The process must have started (its cwd set) before it can be seen.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const rows = await worktreeResources([
        { stage: '1', path: one },
        { stage: '2', path: two },
      ]);
      expect(rows.map((row) => ({ stage: row.stage, pids: row.processes?.map((process) => process.pid), diskBytes: row.diskBytes }))).toEqual([
        { stage: '1', pids: [inside.pid], diskBytes: 1000 },
        { stage: '2', pids: [], diskBytes: 0 },
      ]);
      expect(rows[0].processes?.[0].rssBytes).toBeGreaterThan(1024 * 1024);
      expect(rows[0].processes?.[0].command).toContain(process.execPath);
    } finally {
      inside.kill();
      await exitOf(inside);
    }
  });

  it('counts no linked node_modules and no git data in the disk use', async () => {
    const main = makeTempDir();
    mkdirSync(join(main, 'node_modules'));
    writeFileSync(join(main, 'node_modules', 'big.js'), 'x'.repeat(50_000));
    const worktree = makeTempDir();
    writeFileSync(join(worktree, '.git'), 'gitdir: /elsewhere\n');
    writeFileSync(join(worktree, 'index.js'), 'x'.repeat(300));
    symlinkSync(join(main, 'node_modules'), join(worktree, 'node_modules'));
    const link = (await import('node:fs')).lstatSync(join(worktree, 'node_modules')).size;
    expect(await diskUsage(worktree)).toBe(300 + link);
  });

  it('knows no processes where there is no /proc', async () => {
    expect(await processesByFolder(join(makeTempDir(), 'no-proc'))).toBeNull();
  });
});
