import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { cleanCommand } from './clean';
import { createWorktree } from './create-worktree';

describe('cleanCommand on a real repository', () => {
  useTempRepos();
  const plan = planOf([stage('1', { name: 'One' }), stage('2', { name: 'Two' })]);

  /** Stage 1 worked on and merged with nx-stages' merge commit; stage 2 worked on, not merged. */
  async function setUp() {
    const root = createRepo();
    const one = await createWorktree(root, plan, '1', { dependencies: 'none' });
    const two = await createWorktree(root, plan, '2', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work 1');
    commitFile(two.path, 'two.txt', 'two\n', 'work 2');
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 1: One', 'stage-1']);
    return { root, one: one.path, two: two.path };
  }

  it('removes only the worktree of the merged stage', async () => {
    const { root, one, two } = await setUp();
    const result = await cleanCommand(root, plan);
    expect(result.success).toBe(true);
    expect(result.output).toMatch(/removed stage 1: worktree .*stage-1/);
    expect(result.output).toContain('kept   stage 2: not merged into main');
    expect(existsSync(one)).toBe(false);
    expect(existsSync(two)).toBe(true);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
  });

  it('--dryRun lists and changes nothing', async () => {
    const { root, one } = await setUp();
    const before = snapshot(root);
    const result = await cleanCommand(root, plan, { dryRun: true, deleteBranch: true });
    expect(result.output).toMatch(/would remove stage 1: worktree .* and branch stage-1/);
    expect(snapshot(root)).toBe(before);
    expect(existsSync(one)).toBe(true);
  });

  it('--deleteBranch also deletes the merged branch, also after a squash merge', async () => {
    const root = createRepo();
    const one = await createWorktree(root, plan, '1', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work 1');
    git(root, ['merge', '--quiet', '--squash', 'stage-1']);
    git(root, ['commit', '--quiet', '-m', 'squashed stage 1']);
    const result = await cleanCommand(root, plan, { deleteBranch: true });
    expect(result).toMatchObject({ success: true });
    expect(existsSync(one.path)).toBe(false);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).toBe('');
  });

  it('keeps a merged worktree with uncommitted files unless --force', async () => {
    const { root, one } = await setUp();
    writeFileSync(join(one, 'notes.txt'), 'precious\n');
    const refused = await cleanCommand(root, plan);
    expect(refused.success).toBe(false);
    expect(refused.output).toContain('1 uncommitted file (notes.txt)');
    expect(existsSync(join(one, 'notes.txt'))).toBe(true);
    expect((await cleanCommand(root, plan, { force: true })).success).toBe(true);
    expect(existsSync(one)).toBe(false);
  });

  it('keeps a merged stage whose branch has commits after the merge unless --force', async () => {
    const { root, one } = await setUp();
    commitFile(one, 'later.txt', 'later\n', 'after the merge');
    const refused = await cleanCommand(root, plan, { deleteBranch: true });
    expect(refused.success).toBe(false);
    expect(refused.output).toContain('commits on stage-1 that are not in main');
    expect(existsSync(one)).toBe(true);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
  });

  it('never touches a stage that is not merged, even with --force', async () => {
    const { root, two } = await setUp();
    writeFileSync(join(two, 'draft.txt'), 'wip\n');
    await cleanCommand(root, plan, { force: true, deleteBranch: true });
    expect(existsSync(join(two, 'draft.txt'))).toBe(true);
    expect(git(root, ['branch', '--list', 'stage-2']).trim()).not.toBe('');
  });
});
