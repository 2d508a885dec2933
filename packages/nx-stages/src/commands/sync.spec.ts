import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DependencySetup } from '../core/model';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, head, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { useFakePackageManagers } from '../io/test-support/fake-package-manager';
import { syncStageCommand } from './sync';
import { newWorktree } from './test-support/new-worktree';
import { rendered } from './test-support/rendered';

describe('syncStageCommand on a real repository', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  useTempRepos();
  const plan = planOf([stage('1'), stage('2')]);

  async function setUp() {
    const root = createRepo();
    commitFile(root, 'shared.txt', 'base\n', 'shared file');
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    return { root, worktree: one.path };
  }

  it('merges the base into the stage branch, and says when it is up to date', async () => {
    const { root, worktree } = await setUp();
    commitFile(worktree, 'mine.txt', 'mine\n', 'stage work');
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    const synced = await syncStageCommand(root, plan, '1');
    expect(synced).toMatchObject({ ok: true, data: { id: '1', branch: 'stage-1', base: 'main', result: 'merged', head: head(worktree) } });
    expect(synced.text).toBe(`Stage 1: merged main into stage-1 (now ${head(worktree).slice(0, 7)})`);
    expect(git(worktree, ['log', '--format=%s', '-1'])).toContain('Merge main into stage-1');
    const again = await syncStageCommand(root, plan, '1');
    expect(again).toEqual({ ok: true, text: 'Stage 1: stage-1 is up to date with main', data: { id: '1', branch: 'stage-1', base: 'main', result: 'up-to-date' } });
  });

  it('rebases with strategy rebase', async () => {
    const { root, worktree } = await setUp();
    commitFile(worktree, 'mine.txt', 'mine\n', 'stage work');
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    expect(await syncStageCommand(root, plan, '1', { strategy: 'rebase' })).toMatchObject({ ok: true, data: { result: 'rebased' } });
    expect(git(worktree, ['log', '--format=%s', '-2']).trim().split('\n')).toEqual(['stage work', 'news on main']);
  });

  it.each(['merge', 'rebase'] as const)('on a conflict (%s) aborts, names the files and leaves branch and worktree as they were', async (strategy) => {
    const { root, worktree } = await setUp();
    commitFile(worktree, 'shared.txt', 'stage\n', 'stage edit');
    commitFile(root, 'shared.txt', 'main\n', 'main edit');
    const before = { head: head(worktree), snapshot: snapshot(root), status: status(worktree) };
    const result = await syncStageCommand(root, plan, '1', { strategy });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'conflict', conflicts: ['shared.txt'] } });
    // The file is named once, with one closing stop, and the hint says where to resolve it.
    expect(rendered(result, { '<worktree>': worktree })).toMatchSnapshot();
    expect({ head: head(worktree), snapshot: snapshot(root), status: status(worktree) }).toEqual(before);
  });

  it('refuses a dirty worktree, naming the files', async () => {
    const { root, worktree } = await setUp();
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    writeFileSync(join(worktree, 'draft.txt'), 'wip\n');
    const result = await syncStageCommand(root, plan, '1');
    expect(result).toMatchObject({ ok: false, failure: { kind: 'dirty', files: ['draft.txt'] } });
    expect(rendered(result, { '<worktree>': worktree }).stderr).toMatchInlineSnapshot(
      `"Sync of stage 1 stopped: <worktree> has uncommitted changes: draft.txt. Commit or stash them, then run sync again."`,
    );
  });

  it('refuses a --strategy it does not know, and a --base that does not exist, naming it and what to do', async () => {
    const { root, worktree } = await setUp();
    const before = { head: head(worktree), status: status(worktree) };
    const strategy = await syncStageCommand(root, plan, '1', { strategy: 'squash' });
    expect(strategy).toMatchObject({ ok: false, failure: { kind: 'invalid-input' } });
    expect(rendered(strategy).stderr).toMatchInlineSnapshot(`"--strategy takes merge or rebase, not "squash". Nothing was changed."`);
    const base = await syncStageCommand(root, plan, '1', { base: 'mian' });
    expect(base).toMatchObject({ ok: false, failure: { kind: 'not-found' } });
    expect(rendered(base).stderr).toMatchInlineSnapshot(
      `"Sync of stage 1 refused: The base branch "mian" (from --base) does not exist. Name an existing branch, or leave it out to detect the base from git."`,
    );
    expect({ head: head(worktree), status: status(worktree) }).toEqual(before);
  });

  it('skips a stage without a worktree, so run-many over all stages stays green', async () => {
    const { root } = await setUp();
    expect(await syncStageCommand(root, plan, '2')).toEqual({
      ok: true,
      text: 'Stage 2 has no worktree yet: nothing to sync (create it with `nx g nx-stages:worktree 2`).',
      data: { id: '2', branch: 'stage-2', base: 'main', result: 'no-worktree' },
    });
  });

  it('syncs several stages at once', async () => {
    const { root } = await setUp();
    await newWorktree(root, plan, '2', { dependencies: 'none' });
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    const results = await Promise.all([syncStageCommand(root, plan, '1'), syncStageCommand(root, plan, '2')]);
    expect(results.map((result) => [result.ok, result.data?.result])).toEqual([
      [true, 'merged'],
      [true, 'merged'],
    ]);
  });
});

describe('syncStageCommand and the worktree’s dependencies', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  useTempRepos();
  let restorePath = () => undefined as void;
  afterEach(() => restorePath());

  /** Files in the main checkout that git ignores: its installed packages. */
  function install(root: string, files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  }

  /** A main checkout with node_modules (ignored) and a lock file, and stage 1's worktree made as `created` says. */
  async function setUp(dependencies: DependencySetup = 'link', created: DependencySetup = dependencies) {
    const plan = planOf([stage('1')], { dependencies });
    const root = createRepo();
    commitFile(root, '.gitignore', 'node_modules\n', 'ignore node_modules');
    commitFile(root, 'shared.txt', 'base\n', 'shared file');
    commitFile(root, 'package-lock.json', '{ "lockfileVersion": 3, "packages": {} }\n', 'lock file');
    install(root, { 'node_modules/left-pad/index.js': "exports.where = 'main';\n", 'node_modules/.package-lock.json': '{}\n' });
    const worktree = (await newWorktree(root, plan, '1', { dependencies: created })).path;
    commitFile(worktree, 'mine.txt', 'mine\n', 'stage work');
    return { plan, root, worktree, modules: join(worktree, 'node_modules') };
  }

  /** The base gains a package: main's `npm install` put it in node_modules, and the lock file says so. */
  function addPackageOnBase(root: string, name = 'new-pkg'): void {
    install(root, { [`node_modules/${name}/index.js`]: `exports.where = 'main ${name}';\n` });
    commitFile(root, 'package-lock.json', `{ "lockfileVersion": 3, "packages": { "node_modules/${name}": {} } }\n`, `add ${name}`);
  }

  it.each(['merge', 'rebase'] as const)('link mode (%s): a package the base added appears in the worktree; a user’s real file stays, a broken link goes', async (strategy) => {
    const { plan, root, worktree, modules } = await setUp();
    writeFileSync(join(modules, 'my-notes.txt'), 'mine\n');
    rmSync(join(root, 'node_modules', 'left-pad'), { recursive: true }); // the same install removed left-pad
    addPackageOnBase(root);

    const synced = await syncStageCommand(root, plan, '1', { strategy });

    expect(synced).toMatchObject({ ok: true, data: { dependencies: { refreshed: true } } });
    expect(synced.text.split('\n')[1]).toBe(
      'Stage 1: dependencies refreshed from the main checkout: linked node_modules/new-pkg; removed broken links node_modules/left-pad (this sync changed package-lock.json).',
    );
    expect(lstatSync(join(modules, 'new-pkg')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(modules, 'new-pkg', 'index.js'), 'utf8')).toContain('main new-pkg');
    expect(readFileSync(join(modules, 'my-notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(modules, 'left-pad'))).toBe(false);
    expect(lstatSync(modules).isDirectory()).toBe(true);
    expect(status(worktree)).toBe('');
  });

  it('a package.json change anywhere counts; other changes leave the dependencies alone', async () => {
    const { plan, root, modules } = await setUp();
    install(root, { 'node_modules/new-pkg/index.js': '' });
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    const plain = await syncStageCommand(root, plan, '1');
    expect(plain.text).not.toContain('dependencies');
    expect(plain.data?.dependencies).toBeUndefined();
    expect(existsSync(join(modules, 'new-pkg'))).toBe(false);

    commitFile(root, 'packages/b/package.json', '{ "name": "b" }\n', 'new workspace package');
    const synced = await syncStageCommand(root, plan, '1');
    expect(synced.text).toContain('linked node_modules/new-pkg (this sync changed packages/b/package.json)');
    expect(existsSync(join(modules, 'new-pkg'))).toBe(true);
  });

  it('refreshDependencies refreshes even when nothing changed, and says when they already match', async () => {
    const { plan, root, modules } = await setUp();
    install(root, { 'node_modules/@x/y/index.js': '' });

    const synced = await syncStageCommand(root, plan, '1', { refreshDependencies: true });

    expect(synced).toMatchObject({
      ok: true,
      text: 'Stage 1: stage-1 is up to date with main\nStage 1: dependencies refreshed from the main checkout: linked node_modules/@x (asked with --refreshDependencies).',
      data: { result: 'up-to-date', dependencies: { refreshed: true } },
    });
    expect(readdirSync(join(modules, '@x'))).toEqual(['y']);
    expect((await syncStageCommand(root, plan, '1', { refreshDependencies: true })).text).toContain("dependencies already match the main checkout's (node_modules)");
  });

  it('when the lock file changed but main has not installed yet, says to install there first', async () => {
    const { plan, root } = await setUp();
    commitFile(root, 'package-lock.json', '{ "changed": true }\n', 'lock changed, not installed');
    const synced = await syncStageCommand(root, plan, '1');
    expect(synced.text).toContain(
      `If the main checkout has not installed since its lock file changed, install there (${root}), then run \`nx run stage-1:sync --refreshDependencies\``,
    );
  });

  it.each(['merge', 'rebase'] as const)('a sync that conflicts (%s) refreshes nothing, even when asked to', async (strategy) => {
    const { plan, root, worktree, modules } = await setUp();
    commitFile(worktree, 'shared.txt', 'stage\n', 'stage edit');
    commitFile(root, 'shared.txt', 'main\n', 'main edit');
    addPackageOnBase(root);
    const before = readdirSync(modules).sort();

    const result = await syncStageCommand(root, plan, '1', { strategy, refreshDependencies: true });

    expect(result).toMatchObject({ ok: false, failure: { kind: 'conflict', conflicts: ['shared.txt'] } });
    expect(result.failure?.hint).toMatch(/then run sync again\. Dependencies were not refreshed\.$/);
    expect(readdirSync(modules).sort()).toEqual(before);
  });

  it('a refused sync (uncommitted changes) refreshes nothing either', async () => {
    const { plan, root, worktree, modules } = await setUp();
    addPackageOnBase(root);
    writeFileSync(join(worktree, 'draft.txt'), 'wip\n');
    const result = await syncStageCommand(root, plan, '1', { refreshDependencies: true });
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'dirty', files: ['draft.txt'], hint: 'Commit or stash them, then run sync again. Dependencies were not refreshed.' },
    });
    expect(existsSync(join(modules, 'new-pkg'))).toBe(false);
  });

  it('dependencies: none changes nothing and says they may be stale and what to run', async () => {
    const { plan, root, worktree } = await setUp('none');
    addPackageOnBase(root);
    const synced = await syncStageCommand(root, plan, '1');
    expect(synced.ok).toBe(true);
    expect(synced.text).toContain(
      `Stage 1: dependencies may be stale: this sync changed package-lock.json, and stages/stages.yaml says dependencies: none. Run \`npm install --no-audit --no-fund\` in ${worktree}.`,
    );
    expect(existsSync(join(worktree, 'node_modules'))).toBe(false);
  });

  it('dependencies: install runs the package manager again in the worktree (a fake npm: no network)', async () => {
    const { plan, root, worktree, modules } = await setUp('install', 'none');
    restorePath = useFakePackageManagers();
    addPackageOnBase(root);
    const synced = await syncStageCommand(root, plan, '1');
    expect(synced.text).toContain('Stage 1: installed dependencies with npm install --no-audit --no-fund (this sync changed package-lock.json).');
    expect(readFileSync(join(modules, '.fake-install'), 'utf8')).toBe(`npm install --no-audit --no-fund\n${worktree}\n`);
  });

  it('an install that fails makes the sync fail, saying the merge itself went through', async () => {
    const { plan, root, worktree } = await setUp('install', 'none');
    restorePath = useFakePackageManagers('fail');
    addPackageOnBase(root);
    const synced = await syncStageCommand(root, plan, '1');
    expect(synced).toMatchObject({ ok: false, failure: { kind: 'unexpected' }, data: { result: 'merged', dependencies: { refreshed: false } } });
    // The merge stands and is said; then what failed and how to refresh once it is fixed.
    expect(rendered(synced, { '<worktree>': worktree, '<head>': head(worktree).slice(0, 7) })).toMatchInlineSnapshot(`
      {
        "exitCode": 1,
        "stderr": "Stage 1: merged main into stage-1 (now <head>)
      Stage 1: the sync succeeded, but its dependencies could not be refreshed (this sync changed package-lock.json): npm install --no-audit --no-fund failed in <worktree>: fake: no network. Fix that, then run \`nx run stage-1:sync --refreshDependencies\`.",
        "stdout": "",
      }
    `);
  });

  it('link mode leaves a worktree’s real install alone and says so', async () => {
    const { plan, root, modules } = await setUp('link', 'none');
    install(dirname(modules), { 'node_modules/left-pad/package.json': '{}', 'node_modules/other/package.json': '{}' });
    addPackageOnBase(root);
    const synced = await syncStageCommand(root, plan, '1');
    expect(synced.ok).toBe(true);
    expect(synced.text).toContain('node_modules in');
    expect(synced.text).toContain("is a real install, not a mirror of the main checkout's: left as it is");
    expect(readdirSync(modules).sort()).toEqual(['left-pad', 'other']);
  });
});
