import * as fs from 'node:fs';
import * as path from 'node:path';
import { removeWorktree } from './worktree-remove';
import { createRepo, git, makeTempDir, snapshot, useTempRepos } from './test-support/temp-repo';

useTempRepos();

function repoWithWorktree(): { repo: string; wt: string } {
  const repo = createRepo();
  fs.writeFileSync(path.join(repo, '.gitignore'), 'dist\n');
  git(repo, ['add', '.gitignore']);
  git(repo, ['commit', '--quiet', '-m', 'ignore dist']);
  const wt = path.join(makeTempDir(), 'stage wt');
  git(repo, ['worktree', 'add', '--quiet', '-b', 'stage-1', wt]);
  return { repo, wt };
}

describe('removeWorktree', () => {
  it('removes a clean worktree (ignored files included) and keeps its branch', async () => {
    const { repo, wt } = repoWithWorktree();
    fs.mkdirSync(path.join(wt, 'dist'));
    fs.writeFileSync(path.join(wt, 'dist', 'out.js'), 'built');
    const removed = await removeWorktree(repo, wt, { force: false });
    expect(removed).toMatchObject({ ok: true, value: { path: wt, branch: 'stage-1' } });
    expect(fs.existsSync(wt)).toBe(false);
    expect(git(repo, ['worktree', 'list', '--porcelain'])).not.toContain(wt);
    expect(git(repo, ['branch', '--list', 'stage-1'])).toContain('stage-1');
  });

  it('refuses a worktree with modified and untracked files, naming them, and changes nothing', async () => {
    const { repo, wt } = repoWithWorktree();
    fs.writeFileSync(path.join(wt, 'README.md'), 'edited');
    fs.writeFileSync(path.join(wt, 'new file.txt'), 'untracked');
    const before = snapshot(repo);
    const refused = await removeWorktree(repo, wt, { force: false });
    expect(refused).toMatchObject({ ok: false, files: ['README.md', 'new file.txt'] });
    expect(!refused.ok && refused.message).toContain('README.md, new file.txt');
    expect(snapshot(repo)).toBe(before);
    expect(fs.readFileSync(path.join(wt, 'new file.txt'), 'utf-8')).toBe('untracked');
  });

  it('refuses a worktree with only an untracked file', async () => {
    const { repo, wt } = repoWithWorktree();
    fs.writeFileSync(path.join(wt, 'notes.md'), 'work');
    expect(await removeWorktree(repo, wt, { force: false })).toMatchObject({ ok: false, files: ['notes.md'] });
    expect(fs.existsSync(path.join(wt, 'notes.md'))).toBe(true);
  });

  it('removes a dirty worktree with force', async () => {
    const { repo, wt } = repoWithWorktree();
    fs.writeFileSync(path.join(wt, 'README.md'), 'edited');
    expect(await removeWorktree(repo, wt, { force: true })).toMatchObject({ ok: true });
    expect(fs.existsSync(wt)).toBe(false);
  });

  it('forgets a worktree whose folder was deleted by hand', async () => {
    const { repo, wt } = repoWithWorktree();
    fs.rmSync(wt, { recursive: true });
    expect(await removeWorktree(repo, wt, { force: false })).toMatchObject({ ok: true });
    expect(git(repo, ['worktree', 'list', '--porcelain'])).not.toContain(wt);
  });

  it('refuses the main checkout, unknown paths and locked worktrees', async () => {
    const { repo, wt } = repoWithWorktree();
    expect(await removeWorktree(repo, repo, { force: true })).toMatchObject({ ok: false, message: expect.stringContaining('main checkout') });
    const elsewhere = makeTempDir();
    expect(await removeWorktree(repo, elsewhere, { force: true })).toMatchObject({ ok: false, message: `${elsewhere} is not a worktree of ${repo}` });
    git(repo, ['worktree', 'lock', wt]);
    expect(await removeWorktree(repo, wt, { force: true })).toMatchObject({ ok: false, hint: expect.stringContaining('git worktree unlock') });
    expect(fs.existsSync(wt)).toBe(true);
  });

  it('works when called from inside the worktree being removed', async () => {
    const { wt } = repoWithWorktree();
    fs.mkdirSync(path.join(wt, 'sub'));
    fs.writeFileSync(path.join(wt, 'sub', '.gitkeep'), '');
    git(wt, ['add', 'sub']);
    git(wt, ['commit', '--quiet', '-m', 'sub']);
    expect(await removeWorktree(path.join(wt, 'sub'), wt, { force: false })).toMatchObject({ ok: true });
    expect(fs.existsSync(wt)).toBe(false);
  });
});
