import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectBaseBranch, openRepository } from './repository';
import { commitFile, createRepo, git, head, makeTempDir, useTempRepos } from './test-support/temp-repo';

useTempRepos();

describe('openRepository', () => {
  it('finds root, git dirs, branch and head from a sub-folder', async () => {
    const repo = createRepo();
    fs.mkdirSync(path.join(repo, 'a', 'b'), { recursive: true });
    const opened = await openRepository(path.join(repo, 'a', 'b'));
    expect(opened).toEqual({
      ok: true,
      value: { root: repo, commonDir: path.join(repo, '.git'), gitDir: path.join(repo, '.git'), branch: 'main', head: head(repo) },
    });
  });

  it('gives a linked worktree its own gitDir and the shared commonDir', async () => {
    const repo = createRepo();
    const linked = path.join(makeTempDir(), 'linked');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'side', linked]);
    const opened = await openRepository(linked);
    expect(opened.ok && opened.value).toMatchObject({ root: linked, commonDir: path.join(repo, '.git'), branch: 'side' });
    expect(opened.ok && opened.value.gitDir).toBe(path.join(repo, '.git', 'worktrees', 'linked'));
  });

  it('says clearly when the folder is not in a git repository', async () => {
    const plain = makeTempDir();
    const opened = await openRepository(plain);
    expect(opened).toMatchObject({ ok: false, message: `${plain} is not inside a git repository` });
    expect(!opened.ok && opened.hint).toContain('git init');
  });

  it('refuses a bare repository or the .git folder itself', async () => {
    const repo = createRepo();
    const opened = await openRepository(path.join(repo, '.git'));
    expect(opened).toMatchObject({ ok: false, message: expect.stringContaining('not inside a working tree') });
    const bare = path.join(makeTempDir(), 'bare.git');
    git(repo, ['clone', '--quiet', '--bare', repo, bare]);
    expect(await openRepository(bare)).toMatchObject({ ok: false, message: expect.stringContaining('not inside a working tree') });
  });

  it('fails with a clear message on a repository without commits', async () => {
    const repo = createRepo({ empty: true });
    const opened = await openRepository(repo);
    expect(opened).toMatchObject({ ok: false, message: expect.stringContaining('has no commits yet') });
    expect(!opened.ok && opened.message).toContain(repo);
  });

  it('leaves branch undefined on a detached HEAD', async () => {
    const repo = createRepo();
    git(repo, ['checkout', '--quiet', '--detach']);
    const opened = await openRepository(repo);
    expect(opened.ok && opened.value.branch).toBeUndefined();
    expect(opened.ok && opened.value.head).toBe(head(repo));
  });

  it('keeps the full branch name when a tag has the same name', async () => {
    const repo = createRepo({ branch: 'stage-1' });
    git(repo, ['tag', 'stage-1']);
    const opened = await openRepository(repo);
    expect(opened.ok && opened.value.branch).toBe('stage-1');
  });
});

describe('detectBaseBranch', () => {
  it('picks main', async () => {
    const repo = createRepo();
    git(repo, ['branch', 'master']);
    expect(await detectBaseBranch(repo)).toEqual({ ok: true, value: 'main' });
  });

  it('picks master when there is no main', async () => {
    const repo = createRepo({ branch: 'master' });
    expect(await detectBaseBranch(repo)).toEqual({ ok: true, value: 'master' });
  });

  it('prefers init.defaultBranch when that branch exists', async () => {
    const repo = createRepo({ branch: 'trunk' });
    git(repo, ['branch', 'main']);
    git(repo, ['config', 'init.defaultBranch', 'trunk']);
    expect(await detectBaseBranch(repo)).toEqual({ ok: true, value: 'trunk' });
  });

  it('ignores init.defaultBranch when no such branch exists', async () => {
    const repo = createRepo();
    git(repo, ['config', 'init.defaultBranch', 'nowhere']);
    expect(await detectBaseBranch(repo)).toEqual({ ok: true, value: 'main' });
  });

  it("prefers origin/HEAD's target", async () => {
    const repo = createRepo();
    commitFile(repo, 'a.txt', 'a', 'second');
    git(repo, ['branch', 'develop']);
    git(repo, ['update-ref', 'refs/remotes/origin/develop', 'develop']);
    git(repo, ['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/develop']);
    expect(await detectBaseBranch(repo)).toEqual({ ok: true, value: 'develop' });
  });

  it('counts only exact branch names: main/x or a glob in init.defaultBranch is no main', async () => {
    const repo = createRepo({ branch: 'develop' });
    git(repo, ['branch', 'main/x']);
    git(repo, ['config', 'init.defaultBranch', 'dev*']);
    expect(await detectBaseBranch(repo)).toMatchObject({ ok: false, message: expect.stringContaining('dev*, main, master') });
  });

  it('fails with a hint to set baseBranch when no candidate exists', async () => {
    const repo = createRepo({ branch: 'develop' });
    const detected = await detectBaseBranch(repo);
    expect(detected).toMatchObject({ ok: false, hint: expect.stringContaining('baseBranch') });
    expect(!detected.ok && detected.message).toContain('main, master');
  });
});
