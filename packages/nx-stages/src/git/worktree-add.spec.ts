import * as fs from 'node:fs';
import * as path from 'node:path';
import { addWorktree } from './worktree-add';
import { commitFile, createRepo, git, head, makeTempDir, snapshot, useTempRepos } from './test-support/temp-repo';

useTempRepos();

describe('addWorktree', () => {
  it('creates a branch at the start point and checks it out in a new folder', async () => {
    const repo = createRepo();
    const start = head(repo);
    commitFile(repo, 'later.txt', 'later', 'later on main');
    const target = path.join(makeTempDir(), 'nested', 'stage 1 ü');
    const added = await addWorktree(repo, { path: target, branch: 'stage-1', startPoint: start, createBranch: true });
    expect(added).toEqual({ ok: true, value: { path: target, branch: 'stage-1', head: start } });
    expect(git(target, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/stage-1');
    expect(fs.existsSync(path.join(target, 'later.txt'))).toBe(false);
    // No upstream set up behind the user's back.
    expect(() => git(repo, ['rev-parse', '--abbrev-ref', 'stage-1@{upstream}'])).toThrow();
  });

  it('checks out an existing branch, into an existing empty folder, and takes a path starting with "-"', async () => {
    const repo = createRepo();
    git(repo, ['branch', 'stage-2']);
    const parent = makeTempDir();
    const target = path.join(parent, '-stage-2');
    fs.mkdirSync(target);
    const added = await addWorktree(parent, { path: '-stage-2', branch: 'stage-2', createBranch: false });
    expect(added).toMatchObject({ ok: false }); // parent is not a repository: the root matters
    const fromRepo = await addWorktree(repo, { path: target, branch: 'stage-2', createBranch: false });
    expect(fromRepo).toEqual({ ok: true, value: { path: target, branch: 'stage-2', head: head(repo) } });
  });

  it('refuses a non-empty folder and changes nothing', async () => {
    const repo = createRepo();
    const target = makeTempDir();
    fs.writeFileSync(path.join(target, 'keep.txt'), 'precious');
    const before = snapshot(repo);
    const refused = await addWorktree(repo, { path: target, branch: 'stage-1', startPoint: 'main', createBranch: true });
    expect(refused).toMatchObject({ ok: false, message: `${target} already exists and is not empty` });
    expect(snapshot(repo)).toBe(before);
    expect(fs.readdirSync(target)).toEqual(['keep.txt']);
  });

  it('refuses to create a branch that exists and changes nothing', async () => {
    const repo = createRepo();
    git(repo, ['branch', 'stage-1']);
    const target = path.join(makeTempDir(), 'wt');
    const before = snapshot(repo);
    const refused = await addWorktree(repo, { path: target, branch: 'stage-1', startPoint: 'main', createBranch: true });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('Branch stage-1 already exists') });
    expect(snapshot(repo)).toBe(before);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses a branch checked out in another worktree and changes nothing', async () => {
    const repo = createRepo();
    const first = path.join(makeTempDir(), 'first');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'stage-1', first]);
    const target = path.join(makeTempDir(), 'second');
    const before = snapshot(repo);
    const refused = await addWorktree(repo, { path: target, branch: 'stage-1', createBranch: false });
    expect(refused).toMatchObject({ ok: false, message: `Branch stage-1 is already checked out at ${first}` });
    expect(snapshot(repo)).toBe(before);
    const main = await addWorktree(repo, { path: target, branch: 'main', createBranch: false });
    expect(main).toMatchObject({ ok: false, message: `Branch main is already checked out at ${repo}` });
    expect(snapshot(repo)).toBe(before);
  });

  it('refuses an unknown start point or missing branch and changes nothing', async () => {
    const repo = createRepo();
    const target = path.join(makeTempDir(), 'wt');
    const before = snapshot(repo);
    expect(await addWorktree(repo, { path: target, branch: 'stage-1', startPoint: 'nope', createBranch: true })).toMatchObject({ ok: false });
    expect(await addWorktree(repo, { path: target, branch: 'stage-1', createBranch: false })).toMatchObject({
      ok: false,
      message: expect.stringContaining('does not exist'),
    });
    expect(snapshot(repo)).toBe(before);
  });

  it('rolls the new branch back when git itself refuses the worktree', async () => {
    const repo = createRepo();
    // A registered-but-missing worktree at the target: our checks pass, git refuses.
    const target = path.join(makeTempDir(), 'wt');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'old', target]);
    fs.rmSync(target, { recursive: true });
    git(repo, ['worktree', 'lock', target]); // locked, so our prune cannot clear it either
    const before = snapshot(repo);
    const refused = await addWorktree(repo, { path: target, branch: 'stage-1', startPoint: 'main', createBranch: true });
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('Could not create worktree') });
    expect(snapshot(repo)).toBe(before);
  });

  it('lets exactly one of two concurrent creations of the same branch win', async () => {
    const repo = createRepo();
    const [a, b] = [path.join(makeTempDir(), 'a'), path.join(makeTempDir(), 'b')];
    const results = await Promise.all([
      addWorktree(repo, { path: a, branch: 'stage-1', startPoint: 'main', createBranch: true }),
      addWorktree(repo, { path: b, branch: 'stage-1', startPoint: 'main', createBranch: true }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const winner = results[0].ok ? a : b;
    expect(git(repo, ['worktree', 'list', '--porcelain'])).toContain(`worktree ${winner}\n`);
    expect(git(winner, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/stage-1');
  });
});
