import { mergedInto, unmergedCommits } from './merged';
import { commitFile, createRepo, git, head, useTempRepos } from './test-support/temp-repo';

useTempRepos();

/** main with a stage-1 branch holding two commits of its own. */
function repoWithStage(): string {
  const repo = createRepo();
  commitFile(repo, 'shared.txt', 'one\ntwo\nthree\n', 'shared file');
  git(repo, ['switch', '--quiet', '-c', 'stage-1']);
  commitFile(repo, 'stage.txt', 'stage work\n', 'stage work');
  commitFile(repo, 'shared.txt', 'one\nTWO by stage\nthree\n', 'stage edits shared');
  git(repo, ['switch', '--quiet', 'main']);
  return repo;
}

describe('mergedInto', () => {
  it('is false for a branch not merged yet', async () => {
    const repo = repoWithStage();
    expect(await mergedInto(repo, 'stage-1', 'main')).toEqual({ ok: true, value: false });
    expect(await unmergedCommits(repo, 'stage-1', 'main')).toEqual({ ok: true, value: 2 });
  });

  it("is 'ancestor' after merge --no-ff", async () => {
    const repo = repoWithStage();
    git(repo, ['merge', '--quiet', '--no-ff', '--no-edit', 'stage-1']);
    expect(await mergedInto(repo, 'stage-1', 'main')).toEqual({ ok: true, value: 'ancestor' });
    expect(await unmergedCommits(repo, 'stage-1', 'main')).toEqual({ ok: true, value: 0 });
  });

  it("is 'content' after a squash merge, even once base moved on", async () => {
    const repo = repoWithStage();
    git(repo, ['merge', '--quiet', '--squash', 'stage-1']);
    git(repo, ['commit', '--quiet', '-m', 'squashed stage 1']);
    commitFile(repo, 'other.txt', 'unrelated\n', 'later work on main');
    expect(await mergedInto(repo, 'stage-1', 'main')).toEqual({ ok: true, value: 'content' });
    // History still says 2 commits are missing: that is why the content check exists.
    expect(await unmergedCommits(repo, 'stage-1', 'main')).toEqual({ ok: true, value: 2 });
  });

  it("is 'content' after the commits were cherry-picked", async () => {
    const repo = repoWithStage();
    commitFile(repo, 'other.txt', 'unrelated\n', 'main moved first');
    git(repo, ['cherry-pick', 'main..stage-1']);
    expect(await mergedInto(repo, 'stage-1', 'main')).toEqual({ ok: true, value: 'content' });
  });

  it('is false when merging would conflict', async () => {
    const repo = repoWithStage();
    commitFile(repo, 'shared.txt', 'one\nTWO by main\nthree\n', 'main edits shared');
    const before = head(repo);
    expect(await mergedInto(repo, 'stage-1', 'main')).toEqual({ ok: true, value: false });
    expect(head(repo)).toBe(before);
    expect(git(repo, ['status', '--porcelain'])).toBe('');
  });

  it('is false when only part of the branch made it into base', async () => {
    const repo = repoWithStage();
    git(repo, ['cherry-pick', 'stage-1~1']);
    expect(await mergedInto(repo, 'stage-1', 'main')).toEqual({ ok: true, value: false });
  });

  it('names an unknown branch', async () => {
    const repo = createRepo();
    expect(await mergedInto(repo, 'stage-7', 'main')).toMatchObject({ ok: false, message: expect.stringContaining('stage-7') });
    expect(await unmergedCommits(repo, 'main', 'trunk')).toMatchObject({ ok: false, message: expect.stringContaining('trunk') });
  });
});
