import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { cleanStagesCommand } from './clean';
import { newWorktree } from './test-support/new-worktree';

describe('cleanStagesCommand on a real repository', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  useTempRepos();
  const plan = planOf([stage('1', { name: 'One' }), stage('2', { name: 'Two' })]);

  /** The report as a person reads it, without this run's temporary folder names. */
  const pinned = (text: string, root: string) => text.replaceAll(root, '<root>').replaceAll(basename(root), '<repo>');

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
    const result = await cleanStagesCommand(root, plan);
    expect(result.ok).toBe(true);
    expect(result.data).toEqual({
      base: 'main',
      dryRun: false,
      stages: [
        { id: '1', action: 'removed', worktree: join('..', basename(one)) },
        { id: '2', action: 'kept', reason: 'not merged into main', blocked: false },
      ],
    });
    expect(pinned(result.text, root)).toMatchInlineSnapshot(`
      "Clean: stages merged into main
        removed stage 1: worktree ../<repo>-stage-1
        kept   stage 2: not merged into main"
    `);
    expect(existsSync(one)).toBe(false);
    expect(existsSync(two)).toBe(true);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
  });

  it('--dryRun lists and changes nothing', async () => {
    const { root, one } = await setUp();
    const before = snapshot(root);
    const result = await cleanStagesCommand(root, plan, { dryRun: true, deleteBranch: true });
    expect(result).toMatchObject({
      ok: true,
      data: {
        dryRun: true,
        stages: [
          { id: '1', action: 'would-remove', branch: 'stage-1', filesNotInGit: ['.env.local'] },
          { id: '2', action: 'kept' },
        ],
      },
    });
    expect(pinned(result.text, root)).toMatchInlineSnapshot(`
      "Clean (dry run): stages merged into main
        would remove stage 1: worktree ../<repo>-stage-1 and branch stage-1
          files not in git: .env.local
        kept   stage 2: not merged into main"
    `);
    expect(snapshot(root)).toBe(before);
    expect(existsSync(one)).toBe(true);
  });

  it('--deleteBranch also deletes the merged branch, also after a squash merge', async () => {
    const root = createRepo();
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work 1');
    git(root, ['merge', '--quiet', '--squash', 'stage-1']);
    git(root, ['commit', '--quiet', '-m', 'squashed stage 1']);
    const result = await cleanStagesCommand(root, plan, { deleteBranch: true });
    expect(result).toMatchObject({ ok: true });
    expect(existsSync(one.path)).toBe(false);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).toBe('');
  });

  it('--deleteBranch keeps a branch nx-stages did not create (it existed before the worktree) unless --force', async () => {
    const root = createRepo();
    git(root, ['branch', 'stage-1']);
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work 1');
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 1: One', 'stage-1']);
    const result = await cleanStagesCommand(root, plan, { deleteBranch: true });
    expect(result).toMatchObject({ ok: true });
    expect(result.text).toContain('kept branch stage-1: nx-stages did not create it (delete it yourself with git branch -d stage-1, or pass --force)');
    expect(existsSync(one.path)).toBe(false);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
    expect(await cleanStagesCommand(root, plan, { deleteBranch: true, force: true })).toMatchObject({
      ok: true,
      text: expect.stringContaining('removed stage 1: branch stage-1'),
    });
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).toBe('');
  });

  it('keeps a merged worktree with uncommitted files unless --force', async () => {
    const { root, one } = await setUp();
    writeFileSync(join(one, 'notes.txt'), 'precious\n');
    const refused = await cleanStagesCommand(root, plan);
    // The report says what was kept and why; the failure is for scripts.
    expect(refused).toMatchObject({
      ok: false,
      failure: { kind: 'refused', message: 'clean kept merged stage 1' },
      data: { stages: [{ id: '1', action: 'kept', blocked: true }, { id: '2' }] },
    });
    expect(pinned(refused.text, root)).toMatchInlineSnapshot(`
      "Clean: stages merged into main
        kept   stage 1: 1 uncommitted file (notes.txt) (nothing was removed: commit, merge or copy what you need, or pass --force to discard it)
        kept   stage 2: not merged into main"
    `);
    expect(existsSync(join(one, 'notes.txt'))).toBe(true);
    // A dry run answers the question: what it would keep is no failure.
    expect(await cleanStagesCommand(root, plan, { dryRun: true })).toMatchObject({ ok: true, text: expect.stringContaining('kept   stage 1: 1 uncommitted file (notes.txt)') });
    expect((await cleanStagesCommand(root, plan, { force: true })).ok).toBe(true);
    expect(existsSync(one)).toBe(false);
  });

  it('a stage whose branch got commits after its merge is not merged any more: worktree and branch stay, even with --force', async () => {
    const { root, one } = await setUp();
    commitFile(one, 'later.txt', 'later\n', 'after the merge');
    for (const options of [{ deleteBranch: true }, { deleteBranch: true, force: true }]) {
      const result = await cleanStagesCommand(root, plan, options);
      expect(result.text).toContain('kept   stage 1: not merged into main');
      expect(existsSync(one)).toBe(true);
      expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
    }
  });

  it('never touches a stage that is not merged, even with --force', async () => {
    const { root, two } = await setUp();
    writeFileSync(join(two, 'draft.txt'), 'wip\n');
    await cleanStagesCommand(root, plan, { force: true, deleteBranch: true });
    expect(existsSync(join(two, 'draft.txt'))).toBe(true);
    expect(git(root, ['branch', '--list', 'stage-2']).trim()).not.toBe('');
  });

  it('never deletes the base branch, even when the branch pattern names it, whatever --deleteBranch and --force say', async () => {
    const root = createRepo();
    commitFile(root, 'only-main.txt', 'only main has this\n', 'work only main has');
    git(root, ['checkout', '--quiet', '-b', 'dev']);
    const basePlan = planOf([stage('main')], { branchPattern: '{id}' });
    for (const options of [{ deleteBranch: true }, { deleteBranch: true, force: true }]) {
      const result = await cleanStagesCommand(root, basePlan, options);
      expect(result.ok).toBe(false);
      expect(result.text).toContain('kept   stage main: its branch main is the base branch');
      expect(git(root, ['branch', '--list', 'main']).trim()).not.toBe('');
    }
  });

  it('never deletes a branch checked out in another worktree, even with --force', async () => {
    const { root, one } = await setUp();
    git(root, ['worktree', 'remove', one]);
    git(root, ['checkout', '--quiet', 'stage-1']);
    const result = await cleanStagesCommand(root, plan, { deleteBranch: true, force: true });
    expect(result.ok).toBe(false);
    expect(result.text).toContain(`kept   stage 1: branch stage-1 is checked out in ${root}`);
    expect(existsSync(root)).toBe(true);
    expect(git(root, ['branch', '--show-current']).trim()).toBe('stage-1');
  });

  it('keeps a merged worktree whose .env.local was edited since creation, naming it, unless --force', async () => {
    const { root, one } = await setUp();
    appendFileSync(join(one, '.env.local'), 'API_KEY=secret\n');
    const refused = await cleanStagesCommand(root, plan);
    expect(refused.ok).toBe(false);
    expect(refused.text).toContain('kept   stage 1: edited since nx-stages created the worktree: .env.local');
    expect(existsSync(join(one, '.env.local'))).toBe(true);
    expect((await cleanStagesCommand(root, plan, { force: true })).ok).toBe(true);
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
    expect((await cleanStagesCommand(root, copyPlan, { dryRun: true })).text).toContain('would remove stage 1');
    writeFileSync(join(one.path, 'secrets', 'key.pem'), 'my own key\n');
    writeFileSync(join(one.path, '.env'), 'TOKEN=mine\n');
    const refused = await cleanStagesCommand(root, copyPlan);
    expect(refused.ok).toBe(false);
    expect(refused.text).toContain('edited since nx-stages created the worktree: .env, secrets/key.pem');
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
    const result = await cleanStagesCommand(root, plan, { dryRun: true });
    expect(result.text).toMatch(/would remove stage 1: worktree .*stage-1\n {4}files not in git: \.env\.local, dist\/app\.js\n/);
    expect(result.text).not.toContain('node_modules');
    expect(result.text).not.toContain('.nx');
    expect(existsSync(join(one, 'dist', 'app.js'))).toBe(true);
  });

  it('stops at a worktree git will not remove (locked), reporting what it did and the stage it stopped at', async () => {
    const { root, one } = await setUp();
    const stage3 = planOf([...plan.stages, stage('3', { name: 'Three' })]);
    const three = await newWorktree(root, stage3, '3', { dependencies: 'none' });
    commitFile(three.path, 'three.txt', 'three\n', 'work 3');
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 3: Three', 'stage-3']);
    git(root, ['worktree', 'lock', '--reason', 'on a USB disk', three.path]);
    const result = await cleanStagesCommand(root, stage3);
    expect(result).toMatchObject({ ok: false, failure: { message: expect.stringMatching(/^clean stopped at stage 3: /) } });
    // Stage 1 was removed before it stopped: the data and the report say so.
    expect(result.data!.stages.map(({ id, action }) => `${id}:${action}`)).toEqual(['1:removed', '2:kept']);
    expect(existsSync(one)).toBe(false);
    expect(existsSync(three.path)).toBe(true);
    expect(pinned(result.text, root)).toMatchInlineSnapshot(`
      "Clean: stages merged into main
        removed stage 1: worktree ../<repo>-stage-1
        kept   stage 2: not merged into main
        failed stage 3: Could not remove worktree <root>-stage-3: fatal: cannot remove a locked working tree, lock reason: on a USB disk
      use 'remove -f -f' to override or unlock first. Unlock it first: git worktree unlock "<root>-stage-3""
    `);
  });
});
