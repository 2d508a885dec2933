import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, makeTempDir, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { createWorktree } from './create-worktree';

describe('createWorktree on a real repository', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  useTempRepos();
  let root: string;
  const plan = (stages = [stage('1', { name: 'First' }), stage('2', { name: 'Second' }), stage('3', { name: 'Third', dependsOn: ['1'] })]) => planOf(stages);
  const siblings = () => readdirSync(dirname(root)).sort();

  beforeEach(() => {
    // Each repository gets its own parent folder so sibling worktrees are easy to list.
    const parent = makeTempDir();
    const repo = createRepo();
    root = join(parent, 'app');
    renameSync(repo, root);
    commitFile(root, '.gitignore', 'node_modules\n.env\n', 'ignore');
    mkdirSync(join(root, 'node_modules', 'left-pad'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'left-pad', 'index.js'), 'module.exports = 1;\n');
    writeFileSync(join(root, '.env'), 'SECRET=local\n');
  });

  it('creates branch and sibling worktree, links node_modules, copies .env, writes .env.local with a port', async () => {
    const lines: string[] = [];
    const created = await createWorktree(root, plan(), '1', { log: (line) => lines.push(line) });
    expect(created).toMatchObject({ branch: 'stage-1', base: 'main', port: 4310, createdBranch: true });
    expect(created.path).toBe(join(dirname(root), 'app-stage-1'));
    expect(git(created.path, ['branch', '--show-current']).trim()).toBe('stage-1');
    expect(lstatSync(join(created.path, 'node_modules')).isDirectory()).toBe(true);
    expect(readlinkSync(join(created.path, 'node_modules', 'left-pad'))).toBe(join(root, 'node_modules', 'left-pad'));
    expect(readFileSync(join(created.path, '.env'), 'utf8')).toBe('SECRET=local\n');
    expect(readFileSync(join(created.path, '.env.local'), 'utf8')).toContain("STAGE_NAME='First'");
    // Nothing we wrote shows up as a change in the worktree.
    expect(status(created.path)).toBe('');
    expect(lines.join('\n')).toContain('created worktree');
  });

  it('gives every worktree its own port, also when created at the same time', async () => {
    const [first, second] = await Promise.all([createWorktree(root, plan(), '1'), createWorktree(root, plan(), '2')]);
    expect([first.port, second.port].sort()).toEqual([4310, 4320]);
  });

  it('refuses a stage whose dependency is not merged, naming it, and changes nothing', async () => {
    const before = snapshot(root);
    await expect(createWorktree(root, plan(), '3')).rejects.toThrow('Stage 3 depends on 1, not merged into main yet');
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
  });

  it('allows it once the dependency is merged, even after its branch is deleted', async () => {
    const first = await createWorktree(root, plan(), '1');
    commitFile(first.path, 'src/one.ts', 'export const one = 1;\n', 'one');
    git(root, ['merge', '--no-ff', '-m', 'Merge Stage 1: First', 'stage-1']);
    git(root, ['worktree', 'remove', '--force', first.path]);
    git(root, ['branch', '-D', 'stage-1']);
    const third = await createWorktree(root, plan(), '3');
    expect(third.startPoint).toBe('main');
    expect(existsSync(join(third.path, 'src', 'one.ts'))).toBe(true);
  });

  it('--stack builds on the dependency branch', async () => {
    const first = await createWorktree(root, plan(), '1');
    commitFile(first.path, 'src/one.ts', 'export const one = 1;\n', 'one');
    const third = await createWorktree(root, plan(), '3', { stack: true });
    expect(third.startPoint).toBe('stage-1');
    expect(existsSync(join(third.path, 'src', 'one.ts'))).toBe(true);
  });

  it('from inside a stage worktree, puts the next one beside the main checkout, with main’s dependencies', async () => {
    const first = await createWorktree(root, plan(), '1');
    commitFile(first.path, 'src/one.ts', 'export const one = 1;\n', 'one');
    const third = await createWorktree(first.path, plan(), '3', { stack: true });
    expect(third.path).toBe(join(dirname(root), 'app-stage-3'));
    expect(readlinkSync(join(third.path, 'node_modules', 'left-pad'))).toBe(join(root, 'node_modules', 'left-pad'));
    expect(readFileSync(join(third.path, '.env'), 'utf8')).toBe('SECRET=local\n');
    expect(siblings()).toEqual(['app', 'app-stage-1', 'app-stage-3']);
  });

  it('--stack on two conflicting dependencies aborts and leaves nothing behind', async () => {
    const stages = [stage('1'), stage('2'), stage('4', { dependsOn: ['1', '2'] })];
    const one = await createWorktree(root, plan(stages), '1');
    const two = await createWorktree(root, plan(stages), '2');
    commitFile(one.path, 'shared.txt', 'one\n', 'one');
    commitFile(two.path, 'shared.txt', 'two\n', 'two');
    const before = snapshot(root);
    await expect(createWorktree(root, plan(stages), '4', { stack: true })).rejects.toThrow('shared.txt');
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app', 'app-stage-1', 'app-stage-2']);
  });

  it('a failure midway removes exactly what it created, and never what node_modules links to', async () => {
    // A committed package.json npm cannot read: the install step fails after the worktree exists.
    commitFile(root, 'package.json', '{ not json', 'broken manifest');
    commitFile(root, 'package-lock.json', '{}', 'lock');
    const before = snapshot(root);
    await expect(createWorktree(root, plan(), '1', { dependencies: 'install' })).rejects.toThrow('Nothing was left behind');
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
    expect(existsSync(join(root, 'node_modules', 'left-pad', 'index.js'))).toBe(true);
  });

  it('a failure after linking node_modules removes the links and nothing they point at', async () => {
    // A tracked folder where .env.local goes: writing it fails once node_modules is set up.
    commitFile(root, '.env.local/keep', '', 'a folder named .env.local');
    const before = snapshot(root);
    await expect(createWorktree(root, plan(), '1')).rejects.toThrow('Nothing was left behind');
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
    expect(readFileSync(join(root, 'node_modules', 'left-pad', 'index.js'), 'utf8')).toBe('module.exports = 1;\n');
  });

  it('refuses a worktree folder that exists and is not empty', async () => {
    mkdirSync(join(dirname(root), 'app-stage-1'));
    writeFileSync(join(dirname(root), 'app-stage-1', 'notes.txt'), 'mine\n');
    const before = snapshot(root);
    await expect(createWorktree(root, plan(), '1')).rejects.toThrow('already exists and is not empty');
    expect(snapshot(root)).toBe(before);
    expect(readFileSync(join(dirname(root), 'app-stage-1', 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('reuses an existing stage branch, and refuses one checked out elsewhere', async () => {
    git(root, ['branch', 'stage-1']);
    const created = await createWorktree(root, plan(), '1');
    expect(created.createdBranch).toBe(false);
    git(root, ['worktree', 'remove', '--force', created.path]);
    git(root, ['checkout', '--quiet', 'stage-1']);
    await expect(createWorktree(root, plan(), '1')).rejects.toThrow('already checked out');
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
  });

  it('works when the main checkout is on a detached HEAD', async () => {
    git(root, ['checkout', '--quiet', '--detach']);
    const created = await createWorktree(root, plan(), '1');
    expect(created.base).toBe('main');
  });

  it('refuses a folder that is not a git repository', async () => {
    const plain = makeTempDir();
    await expect(createWorktree(plain, plan(), '1')).rejects.toThrow('is not inside a git repository');
  });

  it('refuses an unknown stage', async () => {
    await expect(createWorktree(root, plan(), '9')).rejects.toThrow('No stage "9" in stages/stages.yaml (stages: 1, 2, 3)');
  });

  it('keeps hostile names literal', async () => {
    const created = await createWorktree(root, plan([stage('1', { name: '$(touch pwned); rm -rf x' })]), '1');
    expect(readFileSync(join(created.path, '.env.local'), 'utf8')).toContain("STAGE_NAME='$(touch pwned); rm -rf x'");
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(basename(created.path)).toBe('app-stage-1');
  });
});
