import * as fs from 'node:fs';
import * as path from 'node:path';
import { aheadBehind, parseStatusZ, uncommittedChanges } from './changes';
import { commitFile, createRepo, git, makeTempDir, useTempRepos } from './test-support/temp-repo';

useTempRepos();

describe('uncommittedChanges', () => {
  it('is empty on a clean checkout', async () => {
    expect(await uncommittedChanges(createRepo())).toEqual({ ok: true, value: [] });
  });

  it('lists modified, staged, deleted and untracked files; not ignored ones', async () => {
    const repo = createRepo();
    commitFile(repo, '.gitignore', 'node_modules\n*.log\n', 'ignore');
    commitFile(repo, 'gone.txt', 'x', 'to delete');
    fs.writeFileSync(path.join(repo, 'README.md'), 'edited');
    fs.writeFileSync(path.join(repo, 'staged é.txt'), 'staged');
    git(repo, ['add', 'staged é.txt']);
    fs.rmSync(path.join(repo, 'gone.txt'));
    fs.mkdirSync(path.join(repo, 'new dir'));
    fs.writeFileSync(path.join(repo, 'new dir', 'a.txt'), 'untracked');
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.writeFileSync(path.join(repo, 'node_modules', 'x.js'), 'ignored');
    fs.writeFileSync(path.join(repo, 'debug.log'), 'ignored');
    const changes = await uncommittedChanges(repo);
    expect(changes.ok && [...changes.value].sort()).toEqual(['README.md', 'gone.txt', 'new dir/a.txt', 'staged é.txt']);
  });

  it('sees untracked files even when the user hides them in status', async () => {
    const repo = createRepo();
    git(repo, ['config', 'status.showUntrackedFiles', 'no']);
    fs.writeFileSync(path.join(repo, 'hidden.txt'), 'x');
    expect(await uncommittedChanges(repo)).toEqual({ ok: true, value: ['hidden.txt'] });
  });

  it('names both sides of a staged rename', async () => {
    const repo = createRepo();
    git(repo, ['mv', 'README.md', 'DOCS.md']);
    expect(await uncommittedChanges(repo)).toEqual({ ok: true, value: ['DOCS.md', 'README.md'] });
    expect(parseStatusZ('R  new\0old\0?? x\0')).toEqual(['new', 'old', 'x']);
  });

  it('fails outside a repository', async () => {
    expect(await uncommittedChanges(makeTempDir())).toMatchObject({ ok: false, message: expect.stringContaining('not a git repository') });
  });
});

describe('aheadBehind', () => {
  it('counts commits on each side', async () => {
    const repo = createRepo();
    git(repo, ['switch', '--quiet', '-c', 'stage-1']);
    commitFile(repo, 'a.txt', 'a', 'a');
    commitFile(repo, 'b.txt', 'b', 'b');
    git(repo, ['switch', '--quiet', 'main']);
    commitFile(repo, 'c.txt', 'c', 'c');
    expect(await aheadBehind(repo, 'stage-1', 'main')).toEqual({ ok: true, value: { ahead: 2, behind: 1 } });
    expect(await aheadBehind(repo, 'main', 'main')).toEqual({ ok: true, value: { ahead: 0, behind: 0 } });
    expect(await aheadBehind(repo, 'stage-9', 'main')).toMatchObject({ ok: false, message: expect.stringContaining('stage-9') });
  });
});
