import { planOf, stage } from '../core/test-support/plan-data';
import { onTheForge, teamRemote } from '../git/test-support/team-repos';
import { commitFile, createRepo, git, useTempRepos } from '../git/test-support/temp-repo';
import { cleanStagesCommand } from './clean';
import { readyCommand } from './list';
import { newWorktree } from './test-support/new-worktree';
import { statusCommand } from './status';

describe('status of a team on a shared remote', () => {
  jest.setTimeout(60_000);
  useTempRepos();

  const plan = planOf([stage('1', { assignee: 'ann' }), stage('2', { assignee: 'bob' })]);

  /** Ann and Bob clone the remote; Bob publishes stage 2 with one commit of work. */
  function team() {
    const { bare, clone } = teamRemote();
    const ann = clone('ann');
    const bob = clone('bob');
    git(bob, ['switch', '--quiet', '-c', 'stage-2']);
    commitFile(bob, 'two.txt', 'two\n', 'stage 2 work');
    git(bob, ['push', '--quiet', 'origin', 'stage-2']);
    return { bare, ann, bob };
  }

  it("shows a teammate's stage after --fetch, read from the remote's branch, and says when it fetched", async () => {
    const { ann } = team();
    const before = await statusCommand(ann, plan);
    expect(before.data).toMatchObject({
      remote: { name: 'origin' },
      stages: [
        { id: '1', copy: 'none' },
        { id: '2', copy: 'none', ahead: null },
      ],
    });

    const fetched = await statusCommand(ann, plan, { fetch: true });
    expect(fetched.ok).toBe(true);
    expect(fetched.data!.remote).toMatchObject({ name: 'origin', fetchedAt: expect.any(String) });
    expect(fetched.data!.stages[1]).toMatchObject({ id: '2', branchExists: false, copy: 'remote-only', ahead: 1, behind: 0, merged: false, worktree: null });
    expect(fetched.text).toContain('origin/stage-2');
    expect(fetched.text.split('\n').at(-1)).toMatch(/^remote origin: fetched (just now|\d+ min ago)/);
    // Nothing local was made for it: a fetch only moves remote-tracking refs.
    expect(git(ann, ['branch', '--list', 'stage-2']).trim()).toBe('');
  });

  it('counts a stage squash-merged on the forge as merged, before anyone pulls', async () => {
    const { bare, ann } = team();
    onTheForge(bare, (forge) => {
      git(forge, ['merge', '--quiet', '--squash', 'origin/stage-2']);
      git(forge, ['commit', '--quiet', '-m', 'Stage 2 (#2)']);
    });
    const report = (await statusCommand(ann, plan, { fetch: true })).data!;
    expect(report.stages[1]).toMatchObject({ id: '2', copy: 'remote-only', merged: true });
    expect(git(ann, ['rev-parse', 'main']).trim()).not.toBe(git(ann, ['rev-parse', 'origin/main']).trim());
  });

  it('says when the local branch is behind its remote copy, and never moves it', async () => {
    const { ann, bob } = team();
    git(ann, ['fetch', '--quiet', 'origin']);
    git(ann, ['branch', '--quiet', 'stage-2', 'origin/stage-2']);
    const annsCopy = git(ann, ['rev-parse', 'stage-2']).trim();
    commitFile(bob, 'two.txt', 'two, more\n', 'more stage 2 work');
    git(bob, ['push', '--quiet', 'origin', 'stage-2']);
    const report = (await statusCommand(ann, plan, { fetch: true })).data!;
    expect(report.stages[1]).toMatchObject({ copy: 'local-behind', branchExists: true, ahead: 1 });
    expect(git(ann, ['rev-parse', 'stage-2']).trim()).toBe(annsCopy);
  });

  it('keeps to local branches with remote: none, and without any remote', async () => {
    const { ann } = team();
    const local = await statusCommand(ann, planOf(plan.stages, { remote: 'none' }), { fetch: true });
    expect(local.data).toMatchObject({ remote: null, stages: [{ copy: null }, { copy: null, ahead: null }] });
    expect(local.text.split('\n').at(-1)).toBe('branches: local only (no remote)');
    expect((await statusCommand(createRepo(), plan, { fetch: true })).data!.remote).toBeNull();
  });

  it('refuses a remote the repository does not have, naming stages.yaml', async () => {
    const { ann } = team();
    const refused = await statusCommand(ann, planOf(plan.stages, { remote: 'upstream' }));
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'not-found', message: expect.stringContaining('stages/stages.yaml sets remote: upstream') } });
  });
});

describe('ready for a team', () => {
  jest.setTimeout(60_000);
  useTempRepos();

  it("counts a teammate's pushed stage as started, and its merge on the forge for the stages after it", async () => {
    const plan = planOf([stage('1'), stage('2', { dependsOn: ['1'] }), stage('3')]);
    const { bare, clone } = teamRemote();
    const bob = clone('bob');
    git(bob, ['switch', '--quiet', '-c', 'stage-1']);
    commitFile(bob, 'one.txt', 'one\n', 'stage 1 work');
    git(bob, ['push', '--quiet', 'origin', 'stage-1']);
    const ann = clone('ann');
    expect((await readyCommand(ann, plan)).data!.stages.map((listed) => listed.id)).toEqual(['3']);
    onTheForge(bare, (forge) => git(forge, ['merge', '--quiet', '--no-ff', '-m', 'Merge pull request #1', 'origin/stage-1']));
    git(ann, ['fetch', '--quiet', 'origin']);
    expect((await readyCommand(ann, plan)).data!.stages.map((listed) => listed.id)).toEqual(['2', '3']);
  });
});

describe('clean for a team', () => {
  jest.setTimeout(60_000);
  useTempRepos();

  it('removes the worktree of a stage merged on the forge (squash) before anyone pulled, and keeps an unmerged one', async () => {
    const plan = planOf([stage('1'), stage('2')]);
    const { bare, clone } = teamRemote();
    const ann = clone('ann');
    const one = await newWorktree(ann, plan, '1', { dependencies: 'none' });
    const two = await newWorktree(ann, plan, '2', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'stage 1 work');
    commitFile(two.path, 'two.txt', 'two\n', 'stage 2 work');
    git(one.path, ['push', '--quiet', 'origin', 'stage-1']);
    onTheForge(bare, (forge) => {
      git(forge, ['merge', '--quiet', '--squash', 'origin/stage-1']);
      git(forge, ['commit', '--quiet', '-m', 'Stage 1 (#1)']);
    });
    git(ann, ['fetch', '--quiet', 'origin']);
    const cleaned = await cleanStagesCommand(ann, plan);
    expect(cleaned.data!.stages.map((entry) => [entry.id, entry.action])).toEqual([
      ['1', 'removed'],
      ['2', 'kept'],
    ]);
    expect(git(ann, ['rev-parse', 'main']).trim()).not.toBe(git(ann, ['rev-parse', 'origin/main']).trim());
  });
});
