import { stageMergedForTeam } from './stage-merged';
import { onTheForge, teamRemote } from './test-support/team-repos';
import { commitFile, git, useTempRepos } from './test-support/temp-repo';

useTempRepos();

const stage1 = { id: '1', branch: 'stage-1' };
const remoteRefs = { base: 'refs/remotes/origin/main', branch: 'refs/remotes/origin/stage-1' };

/** Bob publishes stage 1 with work; Ann has fetched it. */
function bobsStage(): { bare: string; ann: string; bob: string } {
  const { bare, clone } = teamRemote();
  const bob = clone('bob');
  git(bob, ['switch', '--quiet', '-c', 'stage-1']);
  commitFile(bob, 'feature.txt', 'feature\n', 'stage 1 work');
  git(bob, ['push', '--quiet', 'origin', 'stage-1']);
  const ann = clone('ann');
  return { bare, ann, bob };
}

describe('stageMergedForTeam', () => {
  it('sees a teammate’s stage squash-merged on the forge once fetched, while the local base has not moved', async () => {
    const { bare, ann } = bobsStage();
    expect(await stageMergedForTeam(ann, stage1, 'main', remoteRefs)).toEqual({ ok: true, value: false });
    onTheForge(bare, (forge) => {
      git(forge, ['merge', '--quiet', '--squash', 'origin/stage-1']);
      git(forge, ['commit', '--quiet', '-m', 'Stage 1 (#1)']);
    });
    git(ann, ['fetch', '--quiet', 'origin']);
    expect(await stageMergedForTeam(ann, stage1, 'main', remoteRefs)).toEqual({ ok: true, value: true });
    // Local only (remote: none): the local base does not have it.
    expect(await stageMergedForTeam(ann, stage1, 'main', {})).toEqual({ ok: true, value: false });
  });

  it('judges a local branch against the remote base too (merged on the forge, not pulled)', async () => {
    const { bare, bob } = bobsStage();
    onTheForge(bare, (forge) => git(forge, ['merge', '--quiet', '--no-ff', '-m', 'Merge pull request #1', 'origin/stage-1']));
    git(bob, ['fetch', '--quiet', 'origin']);
    expect(await stageMergedForTeam(bob, stage1, 'main', { base: 'refs/remotes/origin/main' })).toEqual({ ok: true, value: true });
  });

  it('does not count a branch published before any work as merged', async () => {
    const { clone } = teamRemote();
    const bob = clone('bob');
    git(bob, ['switch', '--quiet', '-c', 'stage-1']);
    git(bob, ['push', '--quiet', 'origin', 'stage-1']);
    const ann = clone('ann');
    expect(await stageMergedForTeam(ann, stage1, 'main', remoteRefs)).toEqual({ ok: true, value: false });
  });
});
