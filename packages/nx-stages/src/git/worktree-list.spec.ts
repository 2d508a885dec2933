import * as fs from 'node:fs';
import * as path from 'node:path';
import { listWorktrees, parseWorktreeList, pruneWorktrees } from './worktree-list';
import { createRepo, git, head, makeTempDir, useTempRepos } from './test-support/temp-repo';

useTempRepos();

describe('listWorktrees', () => {
  it('lists the main checkout and linked worktrees, paths with spaces and unicode intact', async () => {
    const repo = createRepo();
    const spaced = path.join(makeTempDir(), 'stage 9.1 — dashboard ü');
    const detached = path.join(makeTempDir(), 'detached');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'stage-9.1', spaced]);
    git(repo, ['worktree', 'add', '--quiet', '--detach', detached]);
    git(repo, ['worktree', 'lock', detached]);

    const listed = await listWorktrees(repo);
    if (!listed.ok) throw new Error(listed.message);
    // The main checkout comes first; git lists linked worktrees in directory order, not creation order.
    const [main, ...linked] = listed.value;
    expect(main).toEqual({ path: repo, head: head(repo), branch: 'main', detached: false, bare: false, locked: false, prunable: false });
    expect(linked.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      [
        { path: spaced, head: head(repo), branch: 'stage-9.1', detached: false, bare: false, locked: false, prunable: false },
        { path: detached, head: head(repo), detached: true, bare: false, locked: true, prunable: false },
      ].sort((a, b) => a.path.localeCompare(b.path)),
    );
  });

  it('handles a path containing a newline', async () => {
    const repo = createRepo();
    const odd = path.join(makeTempDir(), 'line\nbreak');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'odd', odd]);
    const listed = await listWorktrees(repo);
    expect(listed.ok && listed.value.map((entry) => entry.path).sort()).toEqual([repo, odd].sort());
  });

  it('marks a worktree whose folder was deleted as prunable, and prune forgets it', async () => {
    const repo = createRepo();
    const gone = path.join(makeTempDir(), 'gone');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'gone', gone]);
    fs.rmSync(gone, { recursive: true });
    const before = await listWorktrees(repo);
    expect(before.ok && before.value[1]).toMatchObject({ path: gone, prunable: true });
    expect(await pruneWorktrees(repo)).toEqual({ ok: true, value: undefined });
    const after = await listWorktrees(repo);
    expect(after.ok && after.value.length).toBe(1);
  });

  it('reports an unborn main checkout without a head', async () => {
    const repo = createRepo({ empty: true });
    const listed = await listWorktrees(repo);
    expect(listed.ok && listed.value).toEqual([{ path: repo, branch: 'main', detached: false, bare: false, locked: false, prunable: false }]);
  });

  it("fails with git's message outside a repository", async () => {
    const listed = await listWorktrees(makeTempDir());
    expect(listed).toMatchObject({ ok: false, message: expect.stringContaining('not a git repository') });
  });

  it('parses a bare entry', () => {
    expect(parseWorktreeList('worktree /srv/repo.git\0bare\0\0')).toEqual([{ path: '/srv/repo.git', detached: false, bare: true, locked: false, prunable: false }]);
  });
});
