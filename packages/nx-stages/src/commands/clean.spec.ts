import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { cleanCommand } from './clean';
import { newWorktree } from './test-support/new-worktree';

describe('cleanCommand on a real repository', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  useTempRepos();
  const plan = planOf([stage('1', { name: 'One' }), stage('2', { name: 'Two' })]);

  /** Stage 1 worked on and merged with nx-stages' merge commit; stage 2 worked on, not merged. */
  async function setUp() {
    const root = createRepo();
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    const two = await newWorktree(root, plan, '2', { dependencies: 'none' });
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
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work 1');
    git(root, ['merge', '--quiet', '--squash', 'stage-1']);
    git(root, ['commit', '--quiet', '-m', 'squashed stage 1']);
    const result = await cleanCommand(root, plan, { deleteBranch: true });
    expect(result).toMatchObject({ success: true });
    expect(existsSync(one.path)).toBe(false);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).toBe('');
  });

  it('--deleteBranch keeps a branch nx-stages did not create (it existed before the worktree) unless --force', async () => {
    const root = createRepo();
    git(root, ['branch', 'stage-1']);
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work 1');
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 1: One', 'stage-1']);
    const result = await cleanCommand(root, plan, { deleteBranch: true });
    expect(result).toMatchObject({ success: true });
    expect(result.output).toContain('kept branch stage-1: nx-stages did not create it (delete it yourself with git branch -d stage-1, or pass --force)');
    expect(existsSync(one.path)).toBe(false);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
    expect(await cleanCommand(root, plan, { deleteBranch: true, force: true })).toMatchObject({
      success: true,
      output: expect.stringContaining('removed stage 1: branch stage-1'),
    });
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).toBe('');
  });

  it('keeps a merged worktree with uncommitted files unless --force', async () => {
    const { root, one } = await setUp();
    writeFileSync(join(one, 'notes.txt'), 'precious\n');
    const refused = await cleanCommand(root, plan);
    expect(refused.success).toBe(false);
    expect(refused.output).toContain('1 uncommitted file (notes.txt)');
    expect(existsSync(join(one, 'notes.txt'))).toBe(true);
    // A dry run answers the question: what it would keep is no failure.
    expect(await cleanCommand(root, plan, { dryRun: true })).toMatchObject({ success: true, output: expect.stringContaining('kept   stage 1: 1 uncommitted file (notes.txt)') });
    expect((await cleanCommand(root, plan, { force: true })).success).toBe(true);
    expect(existsSync(one)).toBe(false);
  });

  it('a stage whose branch got commits after its merge is not merged any more: worktree and branch stay, even with --force', async () => {
    const { root, one } = await setUp();
    commitFile(one, 'later.txt', 'later\n', 'after the merge');
    for (const options of [{ deleteBranch: true }, { deleteBranch: true, force: true }]) {
      const result = await cleanCommand(root, plan, options);
      expect(result.output).toContain('kept   stage 1: not merged into main');
      expect(existsSync(one)).toBe(true);
      expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
    }
  });

  it('never touches a stage that is not merged, even with --force', async () => {
    const { root, two } = await setUp();
    writeFileSync(join(two, 'draft.txt'), 'wip\n');
    await cleanCommand(root, plan, { force: true, deleteBranch: true });
    expect(existsSync(join(two, 'draft.txt'))).toBe(true);
    expect(git(root, ['branch', '--list', 'stage-2']).trim()).not.toBe('');
  });

  it('never deletes the base branch, even when the branch pattern names it, whatever --deleteBranch and --force say', async () => {
    const root = createRepo();
    commitFile(root, 'only-main.txt', 'only main has this\n', 'work only main has');
    git(root, ['checkout', '--quiet', '-b', 'dev']);
    const basePlan = planOf([stage('main')], { branchPattern: '{id}' });
    for (const options of [{ deleteBranch: true }, { deleteBranch: true, force: true }]) {
      const result = await cleanCommand(root, basePlan, options);
      expect(result.success).toBe(false);
      expect(result.output).toContain('kept   stage main: its branch main is the base branch');
      expect(git(root, ['branch', '--list', 'main']).trim()).not.toBe('');
    }
  });

  it('never deletes a branch checked out in another worktree, even with --force', async () => {
    const { root, one } = await setUp();
    git(root, ['worktree', 'remove', one]);
    git(root, ['checkout', '--quiet', 'stage-1']);
    const result = await cleanCommand(root, plan, { deleteBranch: true, force: true });
    expect(result.success).toBe(false);
    expect(result.output).toContain(`kept   stage 1: branch stage-1 is checked out in ${root}`);
    expect(existsSync(root)).toBe(true);
    expect(git(root, ['branch', '--show-current']).trim()).toBe('stage-1');
  });

  it('keeps a merged worktree whose .env.local was edited since creation, naming it, unless --force', async () => {
    const { root, one } = await setUp();
    appendFileSync(join(one, '.env.local'), 'API_KEY=secret\n');
    const refused = await cleanCommand(root, plan);
    expect(refused.success).toBe(false);
    expect(refused.output).toContain('kept   stage 1: edited since nx-stages created the worktree: .env.local');
    expect(existsSync(join(one, '.env.local'))).toBe(true);
    expect((await cleanCommand(root, plan, { force: true })).success).toBe(true);
    expect(existsSync(one)).toBe(false);
  });

  it('keeps a merged worktree whose copied ignored file was edited since creation', async () => {
    const root = createRepo();
    commitFile(root, '.gitignore', '.env\nsecrets/\n', 'ignore local files');
    writeFileSync(join(root, '.env'), 'TOKEN=main\n');
    mkdirSync(join(root, 'secrets'));
    writeFileSync(join(root, 'secrets', 'key.pem'), 'main key\n');
    const copyPlan = planOf([stage('1')], { copyIgnored: ['.env*', 'secrets'] });
    const one = await newWorktree(root, copyPlan, '1', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work 1');
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 1: One', 'stage-1']);
    expect((await cleanCommand(root, copyPlan, { dryRun: true })).output).toContain('would remove stage 1');
    writeFileSync(join(one.path, 'secrets', 'key.pem'), 'my own key\n');
    writeFileSync(join(one.path, '.env'), 'TOKEN=mine\n');
    const refused = await cleanCommand(root, copyPlan);
    expect(refused.success).toBe(false);
    expect(refused.output).toContain('edited since nx-stages created the worktree: .env, secrets/key.pem');
    expect(existsSync(one.path)).toBe(true);
  });

  it('--dryRun lists every file it would delete, but not dependency links or Nx data', async () => {
    const { root, one } = await setUp();
    mkdirSync(join(one, 'dist'), { recursive: true });
    writeFileSync(join(one, 'dist', 'app.js'), 'built\n');
    mkdirSync(join(one, 'node_modules', 'left-pad'), { recursive: true });
    writeFileSync(join(one, 'node_modules', 'left-pad', 'index.js'), '\n');
    mkdirSync(join(one, '.nx', 'cache'), { recursive: true });
    writeFileSync(join(one, '.nx', 'cache', 'x'), '\n');
    git(root, ['config', 'core.excludesFile', join(root, '.git', 'more-excludes')]);
    writeFileSync(join(root, '.git', 'more-excludes'), 'dist\n');
    const result = await cleanCommand(root, plan, { dryRun: true });
    expect(result.output).toMatch(/would remove stage 1: worktree .*stage-1\n {4}files not in git: \.env\.local, dist\/app\.js\n/);
    expect(result.output).not.toContain('node_modules');
    expect(result.output).not.toContain('.nx');
    expect(existsSync(join(one, 'dist', 'app.js'))).toBe(true);
  });
});
