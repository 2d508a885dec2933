import { stageMerged } from './stage-merged';
import { commitFile, createRepo, git, useTempRepos } from './test-support/temp-repo';

describe('stageMerged', () => {
  useTempRepos();
  const stage = { id: '1', branch: 'stage-1' };
  const merged = async (root: string) => {
    const result = await stageMerged(root, stage, 'main');
    if (!result.ok) throw new Error(result.message);
    return result.value;
  };
  const work = (root: string) => {
    git(root, ['checkout', '--quiet', '-b', 'stage-1']);
    commitFile(root, 'one.txt', 'one\n', 'work on stage 1');
    git(root, ['checkout', '--quiet', 'main']);
  };

  it('a branch not started is not merged, though it is an ancestor of main', async () => {
    const root = createRepo();
    git(root, ['branch', 'stage-1']);
    expect(await merged(root)).toBe(false);
  });

  it('a branch only fast-forwarded to main (synced, no work) is not merged', async () => {
    const root = createRepo();
    git(root, ['branch', 'stage-1']);
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    git(root, ['checkout', '--quiet', 'stage-1']);
    git(root, ['merge', '--quiet', 'main']);
    git(root, ['checkout', '--quiet', 'main']);
    expect(await merged(root)).toBe(false);
  });

  it('a branch with unmerged work is not merged', async () => {
    const root = createRepo();
    work(root);
    expect(await merged(root)).toBe(false);
  });

  it.each([
    ['merge --no-ff', ['merge', '--no-ff', '-m', 'merge it', 'stage-1']],
    ['fast-forward', ['merge', '--ff-only', 'stage-1']],
  ])('work merged by %s is merged', async (_how, args) => {
    const root = createRepo();
    work(root);
    git(root, args);
    expect(await merged(root)).toBe(true);
  });

  it('work squash-merged is merged (by content)', async () => {
    const root = createRepo();
    work(root);
    git(root, ['merge', '--squash', 'stage-1']);
    git(root, ['commit', '--quiet', '-m', 'squashed']);
    expect(await merged(root)).toBe(true);
  });

  it('after its branch is deleted, the nx-stages merge commit tells', async () => {
    const root = createRepo();
    work(root);
    git(root, ['merge', '--no-ff', '-m', 'Merge Stage 1: First', 'stage-1']);
    git(root, ['branch', '-D', 'stage-1']);
    expect(await merged(root)).toBe(true);
    // "Merge Stage 1: " does not match stage 11.
    expect(await stageMerged(root, { id: '11', branch: 'stage-11' }, 'main')).toEqual({ ok: true, value: false });
  });

  it('an empty commit titled like the merge does not make a stage not started merged', async () => {
    const root = createRepo();
    git(root, ['branch', 'stage-1']);
    git(root, ['commit', '--quiet', '--allow-empty', '-m', 'Merge Stage 1: First']);
    expect(await merged(root)).toBe(false);
  });

  it('an empty commit titled like the merge does not make a branch with unmerged work merged', async () => {
    const root = createRepo();
    work(root);
    git(root, ['commit', '--quiet', '--allow-empty', '-m', 'Merge Stage 1: First']);
    expect(await merged(root)).toBe(false);
  });

  it('without a branch, only a merge commit that brought commits of its own counts', async () => {
    const root = createRepo();
    git(root, ['commit', '--quiet', '--allow-empty', '-m', 'Merge Stage 1: First']);
    expect(await merged(root)).toBe(false);
    // Two parents, but the second is already in the first's history: it merged nothing.
    const first = git(root, ['rev-parse', 'HEAD~1']).trim();
    const fake = git(root, ['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-p', first, '-m', 'Merge Stage 1: First']).trim();
    git(root, ['update-ref', 'refs/heads/main', fake]);
    expect(await merged(root)).toBe(false);
  });

  it('the merge commit must carry the id in its subject, not only in its body', async () => {
    const root = createRepo();
    work(root);
    git(root, ['merge', '--no-ff', '-m', 'Merge stage-1', '-m', 'Merge Stage 1: First', 'stage-1']);
    git(root, ['branch', '-D', 'stage-1']);
    expect(await merged(root)).toBe(false);
  });
});
