import { remoteBranchMerged } from './remote-merged';
import { onTheForge, teamRemote } from './test-support/team-repos';
import { commitFile, git, head, useTempRepos } from './test-support/temp-repo';

useTempRepos();

/** A bare remote with main, and a clone that published stage-1 with one commit of work. */
function published(): { bare: string; clone: string; work: string } {
  const { bare, clone: cloneAs } = teamRemote();
  const clone = cloneAs('ann');
  git(clone, ['switch', '--quiet', '-c', 'stage-1']);
  const work = commitFile(clone, 'feature.txt', 'feature\n', 'stage 1 work');
  git(clone, ['push', '--quiet', 'origin', 'stage-1']);
  git(clone, ['switch', '--quiet', 'main']);
  return { bare, clone, work };
}

const judged = async (clone: string) => {
  git(clone, ['fetch', '--quiet', 'origin']);
  return remoteBranchMerged(clone, 'refs/remotes/origin/stage-1', 'refs/remotes/origin/main');
};

describe('remoteBranchMerged', () => {
  it('is false for work the base lacks', async () => {
    const { clone } = published();
    expect(await judged(clone)).toEqual({ ok: true, value: false });
  });

  it('sees a merge commit made on the forge', async () => {
    const { bare, clone } = published();
    onTheForge(bare, (forge) => git(forge, ['merge', '--quiet', '--no-ff', '-m', 'Merge pull request #1 from ann/stage-1', 'origin/stage-1']));
    expect(await judged(clone)).toEqual({ ok: true, value: 'merged' });
  });

  it('sees a squash merge, also after the base moved on', async () => {
    const { bare, clone } = published();
    onTheForge(bare, (forge) => {
      git(forge, ['merge', '--quiet', '--squash', 'origin/stage-1']);
      git(forge, ['commit', '--quiet', '-m', 'Stage 1 (#1)']);
      commitFile(forge, 'later.txt', 'later\n', 'later work');
    });
    expect(await judged(clone)).toEqual({ ok: true, value: 'merged' });
  });

  it('calls a branch published before any work "no commits", not merged', async () => {
    const { clone } = published();
    git(clone, ['switch', '--quiet', '-c', 'stage-2']);
    git(clone, ['push', '--quiet', 'origin', 'stage-2']);
    git(clone, ['fetch', '--quiet', 'origin']);
    expect(head(clone)).toBe(git(clone, ['rev-parse', 'origin/main']).trim());
    expect(await remoteBranchMerged(clone, 'refs/remotes/origin/stage-2', 'refs/remotes/origin/main')).toEqual({ ok: true, value: 'no-commits' });
  });
});
