import * as path from 'node:path';
import { branchCheckedOutAt, branchExists, createBranch, deleteBranch, resolveCommit } from './branch';
import { commitFile, createRepo, git, head, makeTempDir, useTempRepos } from './test-support/temp-repo';

useTempRepos();

describe('branch', () => {
  it('tells whether a branch exists', async () => {
    const repo = createRepo();
    expect(await branchExists(repo, 'main')).toEqual({ ok: true, value: true });
    expect(await branchExists(repo, 'stage-1')).toEqual({ ok: true, value: false });
  });

  it('resolves refs to full SHAs and names the unknown one', async () => {
    const repo = createRepo();
    expect(await resolveCommit(repo, 'main')).toEqual({ ok: true, value: head(repo) });
    expect((await resolveCommit(repo, 'main')).ok && head(repo)).toMatch(/^[0-9a-f]{40}$/);
    expect(await resolveCommit(repo, 'nope')).toMatchObject({ ok: false, message: expect.stringContaining('"nope"') });
    expect(await resolveCommit(repo, '--all')).toMatchObject({ ok: false });
  });

  it('creates a branch at a start point, and refuses an existing or invalid name', async () => {
    const repo = createRepo();
    const first = head(repo);
    commitFile(repo, 'a.txt', 'a', 'second');
    expect(await createBranch(repo, 'stage-1', first)).toEqual({ ok: true, value: first });
    expect(await resolveCommit(repo, 'stage-1')).toEqual({ ok: true, value: first });
    expect(await createBranch(repo, 'stage-1', 'main')).toMatchObject({ ok: false, message: expect.stringContaining('already exists') });
    expect(await resolveCommit(repo, 'stage-1')).toEqual({ ok: true, value: first });
    for (const bad of ['-f', 'a..b', 'with space', '@{-1}', '']) {
      expect(await createBranch(repo, bad, 'main')).toMatchObject({ ok: false, message: expect.stringContaining('not a valid branch name') });
    }
    expect(await createBranch(repo, 'stage-2', 'no-such-start')).toMatchObject({ ok: false, message: expect.stringContaining('no-such-start') });
  });

  it('refuses to delete an unmerged branch without force, and deletes it with force', async () => {
    const repo = createRepo();
    git(repo, ['switch', '--quiet', '-c', 'stage-1']);
    const tip = commitFile(repo, 'a.txt', 'a', 'work');
    git(repo, ['switch', '--quiet', 'main']);
    const refused = await deleteBranch(repo, 'stage-1', { force: false });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('not fully merged'), hint: expect.stringContaining(tip) });
    expect(await branchExists(repo, 'stage-1')).toEqual({ ok: true, value: true });
    expect(await deleteBranch(repo, 'stage-1', { force: true })).toEqual({ ok: true, value: tip });
    expect(await branchExists(repo, 'stage-1')).toEqual({ ok: true, value: false });
  });

  it('deletes a merged branch without force, and names a missing one', async () => {
    const repo = createRepo();
    git(repo, ['branch', 'stage-1']);
    expect(await deleteBranch(repo, 'stage-1', { force: false })).toEqual({ ok: true, value: head(repo) });
    expect(await deleteBranch(repo, 'stage-1', { force: false })).toMatchObject({ ok: false, message: expect.stringContaining('no branch stage-1') });
  });

  it('refuses to delete a branch checked out in a worktree, even with force', async () => {
    const repo = createRepo();
    const linked = path.join(makeTempDir(), 'wt');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'stage-1', linked]);
    const refused = await deleteBranch(repo, 'stage-1', { force: true });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining(linked) });
  });

  it('finds the worktree that has a branch checked out', async () => {
    const repo = createRepo();
    const linked = path.join(makeTempDir(), 'wt one');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'stage-1', linked]);
    git(repo, ['branch', 'idle']);
    expect(await branchCheckedOutAt(repo, 'stage-1')).toEqual({ ok: true, value: linked });
    expect(await branchCheckedOutAt(repo, 'main')).toEqual({ ok: true, value: repo });
    expect(await branchCheckedOutAt(repo, 'idle')).toEqual({ ok: true, value: undefined });
  });
});
