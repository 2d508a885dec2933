import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, makeTempDir, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { createWorktree } from './create-worktree';
import { newWorktree } from './test-support/new-worktree';
import { rendered } from './test-support/rendered';

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
    const outcome = await createWorktree(root, plan(), '1', { log: (line) => lines.push(line) });
    const path = join(dirname(root), 'app-stage-1');
    expect(outcome).toEqual({ ok: true, text: path, data: { path, branch: 'stage-1', base: 'main', startPoint: 'main', port: 4310, createdBranch: true } });
    const created = outcome.data!;
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
    const [first, second] = await Promise.all([newWorktree(root, plan(), '1'), newWorktree(root, plan(), '2')]);
    expect([first.port, second.port].sort()).toEqual([4310, 4320]);
  });

  it('refuses a stage whose dependency is not merged, naming it, and changes nothing', async () => {
    const before = snapshot(root);
    const refused = await createWorktree(root, plan(), '3');
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(rendered(refused).stderr).toMatchInlineSnapshot(`"Stage 3 depends on 1, not merged into main yet. Merge it first, or pass --stack to build on its branch."`);
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
  });

  it('allows it once the dependency is merged, even after its branch is deleted', async () => {
    const first = await newWorktree(root, plan(), '1');
    commitFile(first.path, 'src/one.ts', 'export const one = 1;\n', 'one');
    git(root, ['merge', '--no-ff', '-m', 'Merge Stage 1: First', 'stage-1']);
    git(root, ['worktree', 'remove', '--force', first.path]);
    git(root, ['branch', '-D', 'stage-1']);
    const third = await newWorktree(root, plan(), '3');
    expect(third.startPoint).toBe('main');
    expect(existsSync(join(third.path, 'src', 'one.ts'))).toBe(true);
  });

  it('--stack builds on the dependency branch', async () => {
    const first = await newWorktree(root, plan(), '1');
    commitFile(first.path, 'src/one.ts', 'export const one = 1;\n', 'one');
    const third = await newWorktree(root, plan(), '3', { stack: true });
    expect(third.startPoint).toBe('stage-1');
    expect(existsSync(join(third.path, 'src', 'one.ts'))).toBe(true);
  });

  it('from inside a stage worktree, puts the next one beside the main checkout, with main’s dependencies', async () => {
    const first = await newWorktree(root, plan(), '1');
    commitFile(first.path, 'src/one.ts', 'export const one = 1;\n', 'one');
    const third = await newWorktree(first.path, plan(), '3', { stack: true });
    expect(third.path).toBe(join(dirname(root), 'app-stage-3'));
    expect(readlinkSync(join(third.path, 'node_modules', 'left-pad'))).toBe(join(root, 'node_modules', 'left-pad'));
    expect(readFileSync(join(third.path, '.env'), 'utf8')).toBe('SECRET=local\n');
    expect(siblings()).toEqual(['app', 'app-stage-1', 'app-stage-3']);
  });

  it('--stack on two conflicting dependencies aborts and leaves nothing behind', async () => {
    const stages = [stage('1'), stage('2'), stage('4', { dependsOn: ['1', '2'] })];
    const one = await newWorktree(root, plan(stages), '1');
    const two = await newWorktree(root, plan(stages), '2');
    commitFile(one.path, 'shared.txt', 'one\n', 'one');
    commitFile(two.path, 'shared.txt', 'two\n', 'two');
    const before = snapshot(root);
    const refused = await createWorktree(root, plan(stages), '4', { stack: true });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'conflict', conflicts: ['shared.txt'] } });
    // Its worktree is gone again: the hint says where the conflict is to be resolved instead.
    expect(rendered(refused, { '<app>': root }).stderr).toMatchInlineSnapshot(
      `"Stacking stage-4 on stage-1 and stage-2 conflicts in shared.txt; removed the worktree <app>-stage-4 and the branch stage-4 this call had created; nothing was left behind. Bring stage-2 into stage-1 and resolve it there (or merge one of them first), then create the worktree again."`,
    );
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app', 'app-stage-1', 'app-stage-2']);
  });

  it('a failure midway removes exactly what it created, and never what node_modules links to', async () => {
    // A committed package.json npm cannot read: the install step fails after the worktree exists.
    commitFile(root, 'package.json', '{ not json', 'broken manifest');
    commitFile(root, 'package-lock.json', '{}', 'lock');
    const before = snapshot(root);
    const failed = await createWorktree(root, plan(), '1', { dependencies: 'install' });
    expect(failed).toMatchObject({ ok: false, failure: { kind: 'unexpected', message: expect.stringMatching(/this call had created; nothing was left behind$/) } });
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
    expect(existsSync(join(root, 'node_modules', 'left-pad', 'index.js'))).toBe(true);
  });

  it('a failure after linking node_modules removes the links and nothing they point at', async () => {
    // A tracked folder where .env.local goes: writing it fails once node_modules is set up.
    commitFile(root, '.env.local/keep', '', 'a folder named .env.local');
    const before = snapshot(root);
    const failed = await createWorktree(root, plan(), '1');
    expect(failed).toMatchObject({ ok: false, failure: { kind: 'unexpected' } });
    expect(rendered(failed, { '<app>': root }).stderr).toMatchInlineSnapshot(
      `"EISDIR: illegal operation on a directory, open '<app>-stage-1/.env.local'; removed the worktree <app>-stage-1 and the branch stage-1 this call had created; nothing was left behind."`,
    );
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
    expect(readFileSync(join(root, 'node_modules', 'left-pad', 'index.js'), 'utf8')).toBe('module.exports = 1;\n');
  });

  it('refuses a worktree folder that exists and is not empty', async () => {
    mkdirSync(join(dirname(root), 'app-stage-1'));
    writeFileSync(join(dirname(root), 'app-stage-1', 'notes.txt'), 'mine\n');
    const before = snapshot(root);
    const refused = await createWorktree(root, plan(), '1');
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'exists' } });
    expect(rendered(refused, { '<app>': root }).stderr).toMatchInlineSnapshot(
      `"<app>-stage-1 already exists and is not empty. Choose another worktree location, or remove that folder if nothing in it is needed."`,
    );
    expect(snapshot(root)).toBe(before);
    expect(readFileSync(join(dirname(root), 'app-stage-1', 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('reuses an existing stage branch, and refuses one checked out elsewhere', async () => {
    git(root, ['branch', 'stage-1']);
    const created = await newWorktree(root, plan(), '1');
    expect(created.createdBranch).toBe(false);
    git(root, ['worktree', 'remove', '--force', created.path]);
    git(root, ['checkout', '--quiet', 'stage-1']);
    const refused = await createWorktree(root, plan(), '1');
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'exists' } });
    expect(rendered(refused, { '<app>': root }).stderr).toMatchInlineSnapshot(
      `"Branch stage-1 is already checked out at <app>. Use that worktree (cd "<app>"), or switch it to another branch first."`,
    );
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
  });

  it('works when the main checkout is on a detached HEAD', async () => {
    git(root, ['checkout', '--quiet', '--detach']);
    const created = await newWorktree(root, plan(), '1');
    expect(created.base).toBe('main');
  });

  it('refuses a folder that is not a git repository', async () => {
    const plain = makeTempDir();
    const refused = await createWorktree(plain, plan(), '1');
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'not-a-repository' } });
    expect(rendered(refused, { '<folder>': plain }).stderr).toMatchInlineSnapshot(
      `"<folder> is not inside a git repository. Run the command from a git checkout, or create one with \`git init\` and a first commit."`,
    );
  });

  it('refuses an unknown stage', async () => {
    const refused = await createWorktree(root, plan(), '9');
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'not-found' } });
    expect(rendered(refused).stderr).toMatchInlineSnapshot(`"no stage "9" in stages/stages.yaml (did you mean 1?). \`npx nx-stages list\` lists them."`);
  });

  it('keeps hostile names literal', async () => {
    const created = await newWorktree(root, plan([stage('1', { name: '$(touch pwned); rm -rf x' })]), '1');
    expect(readFileSync(join(created.path, '.env.local'), 'utf8')).toContain("STAGE_NAME='$(touch pwned); rm -rf x'");
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    expect(basename(created.path)).toBe('app-stage-1');
  });
});
