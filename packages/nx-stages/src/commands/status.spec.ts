import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { withLock } from '../git/lock';
import { newWorktree } from './test-support/new-worktree';
import { statusCommand } from './status';

describe('statusCommand on a real repository', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  useTempRepos();

  it('reports each stage from git: worktree, ahead/behind, changes, merged', async () => {
    const root = createRepo();
    const plan = planOf([stage('1', { assignee: 'alice' }), stage('2'), stage('3', { dependsOn: ['1'] })]);
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work');
    writeFileSync(join(one.path, 'draft.txt'), 'not committed\n');
    git(root, ['checkout', '--quiet', '-b', 'stage-2']);
    commitFile(root, 'two.txt', 'two\n', 'two');
    git(root, ['checkout', '--quiet', 'main']);
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 2: Two', 'stage-2']);

    const result = await statusCommand(root, plan, { json: true });
    expect(result.success).toBe(true);
    const report = JSON.parse(result.output);
    expect(report.base).toBe('main');
    expect(report.stages.map((row: { id: string }) => row.id)).toEqual(['1', '2', '3']);
    expect(report.stages[0]).toMatchObject({ group: 'A', assignee: 'alice', branchExists: true, ahead: 1, behind: 2, uncommitted: 1, merged: false });
    expect(report.stages[0].worktree).toMatch(/stage-1$/);
    expect(report.stages[0].diskBytes).toBeGreaterThan(0);
    expect(report.stages[1]).toMatchObject({ worktree: null, merged: true, ahead: 0 });
    expect(report.stages[2]).toMatchObject({ group: 'B', branchExists: false, worktree: null, ahead: null, merged: false });

    const table = await statusCommand(root, plan, { by: 'assignee' });
    expect(table.output).toContain('alice (1)');
    expect(table.output).toContain('3 stages · 1 with a worktree · 1 merged into main');
  });

  it('forgets a worktree whose folder was deleted by hand', async () => {
    const root = createRepo();
    const plan = planOf([stage('1')]);
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    rmSync(one.path, { recursive: true, force: true });
    const report = JSON.parse((await statusCommand(root, plan, { json: true })).output);
    expect(report.stages[0]).toMatchObject({ branchExists: true, worktree: null });
  });

  it('shows the gates of a stage as running while its gates hold the stage', async () => {
    const root = createRepo();
    const plan = planOf([stage('1')]);
    await newWorktree(root, plan, '1', { dependencies: 'none' });
    const gatesOf = async () => JSON.parse((await statusCommand(root, plan, { json: true })).output).stages[0].gates;
    // The same lock a gates run takes (commands/gates.ts): held by this live process, then released.
    expect(await withLock(join(root, '.git'), 'gates-stage-1', gatesOf)).toBe('running');
    expect(await gatesOf()).toBeNull();
  });

  it('says so outside a git repository', async () => {
    const result = await statusCommand(makeTempDir(), planOf([]), {});
    expect(result).toMatchObject({ success: false });
    expect(result.output).toContain('git repository');
  });
});
