import { planOf, stage } from '../core/test-support/plan-data';
import { teamRemote } from '../git/test-support/team-repos';
import { commitFile, git, head, useTempRepos } from '../git/test-support/temp-repo';
import { syncStageCommand } from './sync';
import { newWorktree } from './test-support/new-worktree';

describe('sync on a shared remote', () => {
  jest.setTimeout(60_000);
  useTempRepos();
  const plan = planOf([stage('1'), stage('2')]);

  /** Ann works on stage 1 in a worktree of her clone; Bob pushes a commit to main. */
  async function team() {
    const { bare, clone } = teamRemote();
    const ann = clone('ann');
    const bob = clone('bob');
    const worktree = (await newWorktree(ann, plan, '1', { dependencies: 'none' })).path;
    commitFile(worktree, 'one.txt', 'one\n', 'stage 1 work');
    commitFile(bob, 'news.txt', 'news\n', 'news from bob');
    git(bob, ['push', '--quiet', 'origin', 'main']);
    return { bare, ann, bob, worktree };
  }

  it("brings the remote's newer base into the stage branch after --fetch, says so, and never moves the local base", async () => {
    const { ann, worktree } = await team();
    const localMain = git(ann, ['rev-parse', 'main']).trim();
    const synced = await syncStageCommand(ann, plan, '1', { fetch: true });
    expect(synced).toMatchObject({ ok: true, data: { id: '1', base: 'main', from: 'origin/main', newerBy: 1, result: 'merged', head: head(worktree) } });
    expect(synced.text).toBe(`Stage 1: brought origin/main (1 commit newer than main) into stage-1 (now ${head(worktree).slice(0, 7)})`);
    expect(git(worktree, ['log', '--format=%s', '-1']).trim()).toBe('Merge origin/main into stage-1');
    expect(git(worktree, ['show', 'HEAD:news.txt'])).toBe('news\n');
    expect(git(ann, ['rev-parse', 'main']).trim()).toBe(localMain);
    // Nothing newer the second time.
    const again = await syncStageCommand(ann, plan, '1', { fetch: true });
    expect(again).toMatchObject({ ok: true, data: { result: 'up-to-date', from: 'origin/main', newerBy: 1 } });
  });

  it('without --fetch uses what was last fetched: the local base when nothing newer is known', async () => {
    const { ann } = await team();
    const synced = await syncStageCommand(ann, plan, '1');
    expect(synced).toMatchObject({ ok: true, data: { base: 'main', result: 'up-to-date' } });
    expect(synced.data).not.toHaveProperty('from');
  });

  it('keeps the local base when it has commits the remote lacks, and with remote: none', async () => {
    const { ann, worktree } = await team();
    git(ann, ['fetch', '--quiet', 'origin']);
    commitFile(ann, 'mine.txt', 'mine\n', 'unpushed on main');
    // Diverged: the remote's base does not contain the local one, so the local base is brought in.
    const synced = await syncStageCommand(ann, plan, '1');
    expect(synced).toMatchObject({ ok: true, data: { result: 'merged' } });
    expect(synced.data).not.toHaveProperty('from');
    expect(git(worktree, ['log', '--format=%s', '-1']).trim()).toBe('Merge main into stage-1');
    const local = await syncStageCommand(ann, planOf(plan.stages, { remote: 'none' }), '1', { fetch: true });
    expect(local).toMatchObject({ ok: true, data: { result: 'up-to-date' } });
  });
});
