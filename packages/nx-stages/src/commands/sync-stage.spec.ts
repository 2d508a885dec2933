import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, head, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { createWorktree } from './create-worktree';
import { syncStageCommand } from './sync-stage';

describe('syncStageCommand on a real repository', () => {
  useTempRepos();
  const plan = planOf([stage('1'), stage('2')]);

  async function setUp() {
    const root = createRepo();
    commitFile(root, 'shared.txt', 'base\n', 'shared file');
    const one = await createWorktree(root, plan, '1', { dependencies: 'none' });
    return { root, worktree: one.path };
  }

  it('merges the base into the stage branch, and says when it is up to date', async () => {
    const { root, worktree } = await setUp();
    commitFile(worktree, 'mine.txt', 'mine\n', 'stage work');
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    const synced = await syncStageCommand(root, plan, '1');
    expect(synced).toMatchObject({ success: true, output: expect.stringContaining('merged main into stage-1') });
    expect(git(worktree, ['log', '--format=%s', '-1'])).toContain('Merge main into stage-1');
    expect((await syncStageCommand(root, plan, '1')).output).toContain('up to date with main');
  });

  it('rebases with strategy rebase', async () => {
    const { root, worktree } = await setUp();
    commitFile(worktree, 'mine.txt', 'mine\n', 'stage work');
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    expect(await syncStageCommand(root, plan, '1', { strategy: 'rebase' })).toMatchObject({ success: true });
    expect(git(worktree, ['log', '--format=%s', '-2']).trim().split('\n')).toEqual(['stage work', 'news on main']);
  });

  it.each(['merge', 'rebase'] as const)('on a conflict (%s) aborts, names the files and leaves branch and worktree as they were', async (strategy) => {
    const { root, worktree } = await setUp();
    commitFile(worktree, 'shared.txt', 'stage\n', 'stage edit');
    commitFile(root, 'shared.txt', 'main\n', 'main edit');
    const before = { head: head(worktree), snapshot: snapshot(root), status: status(worktree) };
    const result = await syncStageCommand(root, plan, '1', { strategy });
    expect(result.success).toBe(false);
    expect(result.output).toContain('shared.txt');
    expect(result.output).toContain('Nothing changed');
    expect({ head: head(worktree), snapshot: snapshot(root), status: status(worktree) }).toEqual(before);
  });

  it('refuses a dirty worktree, naming the files', async () => {
    const { root, worktree } = await setUp();
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    writeFileSync(join(worktree, 'draft.txt'), 'wip\n');
    const result = await syncStageCommand(root, plan, '1');
    expect(result.success).toBe(false);
    expect(result.output).toContain('draft.txt');
  });

  it('skips a stage without a worktree, so run-many over all stages stays green', async () => {
    const { root } = await setUp();
    expect(await syncStageCommand(root, plan, '2')).toMatchObject({ success: true, output: expect.stringContaining('nothing to sync') });
  });

  it('syncs several stages at once', async () => {
    const { root } = await setUp();
    await createWorktree(root, plan, '2', { dependencies: 'none' });
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    const results = await Promise.all([syncStageCommand(root, plan, '1'), syncStageCommand(root, plan, '2')]);
    expect(results.map((result) => result.success)).toEqual([true, true]);
  });
});
