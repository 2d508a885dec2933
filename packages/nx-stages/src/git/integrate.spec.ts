import * as fs from 'node:fs';
import * as path from 'node:path';
import { integrate } from './integrate';
import { commitFile, createRepo, git, head, makeTempDir, status, useTempRepos } from './test-support/temp-repo';

useTempRepos();

/** A main repo plus a worktree on stage-1; both sides have a commit the other lacks. */
function diverged(options: { conflicting: boolean }): { repo: string; wt: string } {
  const repo = createRepo();
  commitFile(repo, 'shared.txt', 'one\ntwo\nthree\n', 'shared file');
  const wt = path.join(makeTempDir(), 'stage-1');
  git(repo, ['worktree', 'add', '--quiet', '-b', 'stage-1', wt]);
  commitFile(wt, options.conflicting ? 'shared.txt' : 'stage.txt', 'one\nTWO by stage\nthree\n', 'stage work');
  commitFile(repo, 'shared.txt', 'one\nTWO by main\nthree\n', 'main work');
  return { repo, wt };
}

function expectUntouched(wt: string, before: { head: string; status: string }): void {
  expect(head(wt)).toBe(before.head);
  expect(status(wt)).toBe(before.status);
  expect(git(wt, ['symbolic-ref', 'HEAD']).trim()).toBe('refs/heads/stage-1');
  const gitDir = git(wt, ['rev-parse', '--absolute-git-dir']).trim();
  for (const marker of ['MERGE_HEAD', 'rebase-merge', 'rebase-apply']) expect(fs.existsSync(path.join(gitDir, marker))).toBe(false);
}

describe('integrate', () => {
  it('merges the base into the stage branch', async () => {
    const { wt } = diverged({ conflicting: false });
    const before = head(wt);
    const result = await integrate(wt, 'main', 'merge', 'Sync main into stage 1');
    expect(result).toEqual({ ok: true, value: { changed: true, head: head(wt) } });
    expect(head(wt)).not.toBe(before);
    expect(git(wt, ['log', '-1', '--format=%s%n%P']).trim().split('\n')).toEqual(['Sync main into stage 1', `${before} ${git(wt, ['rev-parse', 'main']).trim()}`]);
    expect(fs.readFileSync(path.join(wt, 'shared.txt'), 'utf-8')).toContain('TWO by main');
  });

  it('fast-forwards when the branch has nothing of its own', async () => {
    const repo = createRepo();
    const wt = path.join(makeTempDir(), 'wt');
    git(repo, ['worktree', 'add', '--quiet', '-b', 'stage-1', wt]);
    git(repo, ['config', 'merge.ff', 'false']); // user config must not change the outcome
    const tip = commitFile(repo, 'a.txt', 'a', 'main moved');
    expect(await integrate(wt, 'main', 'merge')).toEqual({ ok: true, value: { changed: true, head: tip } });
  });

  it('reports already up to date without changing anything', async () => {
    const { wt } = diverged({ conflicting: false });
    const once = await integrate(wt, 'main', 'merge');
    expect(once.ok).toBe(true);
    const before = head(wt);
    expect(await integrate(wt, 'main', 'merge')).toEqual({ ok: true, value: { changed: false } });
    expect(await integrate(wt, 'main', 'rebase')).toEqual({ ok: true, value: { changed: false } });
    expect(head(wt)).toBe(before);
  });

  it('aborts a conflicting merge, names the files, and leaves HEAD and status as they were', async () => {
    const { wt } = diverged({ conflicting: true });
    const before = { head: head(wt), status: status(wt) };
    const result = await integrate(wt, 'main', 'merge');
    expect(result).toMatchObject({ ok: false, conflicts: ['shared.txt'] });
    expect(!result.ok && result.message).toContain('shared.txt');
    expect(!result.ok && result.message).toContain('aborted');
    expectUntouched(wt, before);
    expect(fs.readFileSync(path.join(wt, 'shared.txt'), 'utf-8')).toBe('one\nTWO by stage\nthree\n');
  });

  it('aborts a conflicting rebase the same way', async () => {
    const { wt } = diverged({ conflicting: true });
    const before = { head: head(wt), status: status(wt) };
    const result = await integrate(wt, 'main', 'rebase');
    expect(result).toMatchObject({ ok: false, conflicts: ['shared.txt'] });
    expectUntouched(wt, before);
  });

  it('rebases the stage branch onto the base', async () => {
    const { wt } = diverged({ conflicting: false });
    const result = await integrate(wt, 'main', 'rebase');
    expect(result).toEqual({ ok: true, value: { changed: true, head: head(wt) } });
    expect(git(wt, ['rev-parse', 'HEAD~1']).trim()).toBe(git(wt, ['rev-parse', 'main']).trim());
  });

  it('refuses a dirty worktree, listing the files, without touching it', async () => {
    const { wt } = diverged({ conflicting: false });
    fs.writeFileSync(path.join(wt, 'stage.txt'), 'uncommitted edit');
    fs.writeFileSync(path.join(wt, 'scratch.txt'), 'untracked');
    const before = { head: head(wt), status: status(wt) };
    const result = await integrate(wt, 'main', 'merge');
    expect(result).toMatchObject({ ok: false, files: ['stage.txt', 'scratch.txt'] });
    expect(!result.ok && result.message).toContain('stage.txt, scratch.txt');
    expect(head(wt)).toBe(before.head);
    expect(status(wt)).toBe(before.status);
  });

  it('refuses a detached HEAD and an unknown ref', async () => {
    const { wt } = diverged({ conflicting: false });
    expect(await integrate(wt, 'no-such-branch', 'merge')).toMatchObject({ ok: false, message: expect.stringContaining('no-such-branch') });
    expect(await integrate(wt, '--strategy-option=ours', 'merge')).toMatchObject({ ok: false });
    git(wt, ['checkout', '--quiet', '--detach']);
    expect(await integrate(wt, 'main', 'merge')).toMatchObject({ ok: false, message: expect.stringContaining('detached HEAD') });
  });

  it('refuses to start while another merge is in progress, and leaves that merge alone', async () => {
    const { wt } = diverged({ conflicting: true });
    expect(() => git(wt, ['merge', 'main'])).toThrow();
    const result = await integrate(wt, 'main', 'merge');
    expect(result).toMatchObject({ ok: false });
    const gitDir = git(wt, ['rev-parse', '--absolute-git-dir']).trim();
    expect(fs.existsSync(path.join(gitDir, 'MERGE_HEAD'))).toBe(true);
  });
});
