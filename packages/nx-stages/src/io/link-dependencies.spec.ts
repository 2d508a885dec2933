import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { isRealInstall, linkDependencies, refreshLinkedDependencies } from './link-dependencies';

/** Writes files under `dir`, creating folders. */
function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function link(dir: string, path: string, target: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  symlinkSync(target, join(dir, path));
}

/** Every path below `dir` with what it is, not following links: what must not change in main. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return `${path.slice(dir.length)} ${entry.isSymbolicLink() ? `-> ${readlinkSync(path)}` : entry.isDirectory() ? 'dir' : readFileSync(path, 'utf8')}`;
    })
    .sort();
}

/** What `node` resolves and prints when run in `cwd`: the real module resolution, links and all. */
const nodeIn = (cwd: string, code: string) => execFileSync(process.execPath, ['-e', code], { cwd, encoding: 'utf8' }).trim();

/** Two packages of an npm workspace, as in the main checkout and, edited, in a stage worktree. */
function workspacePackages(dir: string, version: string): void {
  write(dir, {
    'packages/a/package.json': '{ "name": "@acme/a", "main": "index.js", "bin": { "a-tool": "bin.js" } }\n',
    'packages/a/index.js': `exports.version = '${version}';\n`,
    'packages/a/bin.js': `console.log('a-tool ${version}');\n`,
    'packages/b/package.json': '{ "name": "@acme/b", "dependencies": { "@acme/a": "*" } }\n',
  });
}

describe('linkDependencies', () => {
  useTempRepos();
  let root: string;
  let worktree: string;
  let outside: string;

  beforeEach(() => {
    const parent = makeTempDir();
    root = join(parent, 'app');
    worktree = join(parent, 'app-stage-1');
    outside = join(parent, 'elsewhere');
    write(outside, { 'lib/index.js': "exports.where = 'outside';\n" });
    // The main checkout, laid out as `npm install` leaves an npm workspace.
    workspacePackages(root, 'main');
    write(root, {
      'node_modules/left-pad/package.json': '{ "name": "left-pad", "bin": "cli.js" }\n',
      'node_modules/left-pad/index.js': "exports.where = 'main node_modules';\n",
      'node_modules/left-pad/cli.js': "console.log('left-pad');\n",
      'node_modules/@types/node/index.d.ts': '',
      'node_modules/.package-lock.json': '{ "lockfileVersion": 3 }\n',
      'dist/built/index.js': "exports.where = 'main build output';\n",
    });
    link(root, 'node_modules/@acme/a', '../../packages/a');
    link(root, 'node_modules/@acme/b', '../../packages/b');
    link(root, 'node_modules/.bin/a-tool', '../@acme/a/bin.js');
    link(root, 'node_modules/.bin/left-pad', '../left-pad/cli.js');
    link(root, 'node_modules/outside-lib', join(outside, 'lib'));
    link(root, 'node_modules/built', '../dist/built');
    // The stage worktree: the same packages, package a edited on the stage branch.
    workspacePackages(worktree, 'stage');
  });

  it('points workspace packages at the worktree’s own folders, and everything else at main’s node_modules', async () => {
    const linked = await linkDependencies(root, worktree, ['node_modules/', 'dist/']);

    expect(linked).toEqual({ folders: ['node_modules'], ownPackages: ['node_modules/@acme/a', 'node_modules/@acme/b'] });
    const b = join(worktree, 'packages', 'b');
    expect(nodeIn(b, "console.log(require('@acme/a').version)")).toBe('stage');
    expect(nodeIn(join(root, 'packages', 'b'), "console.log(require('@acme/a').version)")).toBe('main');
    expect(nodeIn(b, "console.log(require('left-pad').where)")).toBe('main node_modules');
    expect(realpathSync(join(worktree, 'node_modules', 'left-pad'))).toBe(realpathSync(join(root, 'node_modules', 'left-pad')));
    expect(realpathSync(join(worktree, 'node_modules', '@types', 'node'))).toBe(realpathSync(join(root, 'node_modules', '@types', 'node')));
    // Bins of the workspace's own packages run the worktree's code; other bins run main's.
    expect(execFileSync(process.execPath, [join(worktree, 'node_modules', '.bin', 'a-tool')], { encoding: 'utf8' }).trim()).toBe('a-tool stage');
    expect(realpathSync(join(worktree, 'node_modules', '.bin', 'left-pad'))).toBe(realpathSync(join(root, 'node_modules', 'left-pad', 'cli.js')));
  });

  it('links what only main has (a build output, a folder outside the checkout) where it really is', async () => {
    await linkDependencies(root, worktree, ['node_modules/', 'dist/']);

    const modules = join(worktree, 'node_modules');
    expect(readlinkSync(join(modules, 'built'))).toBe(join(root, 'dist', 'built'));
    expect(readlinkSync(join(modules, 'outside-lib'))).toBe(join(outside, 'lib'));
    expect(nodeIn(join(worktree, 'packages', 'b'), "console.log(require('built').where, require('outside-lib').where)")).toBe('main build output outside');
  });

  it('copies package-manager metadata files, so rewriting them in the worktree never touches main', async () => {
    const before = tree(root);
    await linkDependencies(root, worktree, ['node_modules/']);

    const metadata = join(worktree, 'node_modules', '.package-lock.json');
    expect(lstatSync(metadata).isFile()).toBe(true);
    writeFileSync(metadata, 'rewritten\n');
    expect(tree(root)).toEqual(before);
    expect(lstatSync(join(worktree, 'node_modules')).isDirectory()).toBe(true);
    expect(lstatSync(join(worktree, 'node_modules')).isSymbolicLink()).toBe(false);
  });

  it('mirrors a pnpm layout: the store stays main’s, each package’s own node_modules points at the worktree', async () => {
    write(root, { 'node_modules/.pnpm/is-odd@3.0.1/node_modules/is-odd/index.js': "exports.where = 'main store';\n" });
    link(root, 'node_modules/is-odd', '.pnpm/is-odd@3.0.1/node_modules/is-odd');
    link(root, 'packages/b/node_modules/@acme/a', '../../../a');

    const linked = await linkDependencies(root, worktree, ['node_modules/', 'packages/b/node_modules/']);

    expect(linked.folders).toEqual(['node_modules', 'packages/b/node_modules']);
    expect(linked.ownPackages).toContain('packages/b/node_modules/@acme/a');
    const b = join(worktree, 'packages', 'b');
    expect(nodeIn(b, "console.log(require('@acme/a').version, require('is-odd').where)")).toBe('stage main store');
    expect(lstatSync(join(worktree, 'node_modules', '.pnpm')).isSymbolicLink()).toBe(true);
  });

  it('leaves a node_modules the worktree already has, and skips one whose package the branch lacks', async () => {
    write(worktree, { 'node_modules/own/index.js': '' });
    write(root, { 'packages/gone/node_modules/x/index.js': '' });

    const linked = await linkDependencies(root, worktree, ['node_modules/', 'packages/gone/node_modules/']);

    expect(linked).toEqual({ folders: [], ownPackages: [] });
    expect(readdirSync(join(worktree, 'node_modules'))).toEqual(['own']);
  });
});

describe('refreshLinkedDependencies', () => {
  useTempRepos();
  let root: string;
  let worktree: string;
  const modules = () => join(worktree, 'node_modules');

  beforeEach(async () => {
    const parent = makeTempDir();
    root = join(parent, 'app');
    worktree = join(parent, 'app-stage-1');
    workspacePackages(root, 'main');
    workspacePackages(worktree, 'stage');
    write(root, {
      'node_modules/left-pad/index.js': "exports.where = 'main';\n",
      'node_modules/gone-soon/index.js': '',
      'node_modules/@types/gone/index.d.ts': '',
      'node_modules/.package-lock.json': '{ "v": 1 }\n',
    });
    link(root, 'node_modules/@acme/a', '../../packages/a');
    link(root, 'node_modules/.bin/gone-soon', '../gone-soon/index.js');
    await linkDependencies(root, worktree, ['node_modules/']);
  });

  it('links what main installed since, scoped packages and bins included; a second run changes nothing', async () => {
    write(root, { 'node_modules/new-pkg/index.js': "exports.where = 'new in main';\n", 'node_modules/@x/y/index.js': "exports.y = 'y';\n", 'node_modules/new-pkg/cli.js': '' });
    link(root, 'node_modules/.bin/new-pkg', '../new-pkg/cli.js');

    const refreshed = await refreshLinkedDependencies(root, worktree, ['node_modules/']);

    expect(refreshed).toEqual({
      folders: ['node_modules'],
      added: ['node_modules/.bin/new-pkg', 'node_modules/@x', 'node_modules/new-pkg'],
      updated: [],
      removed: [],
      realInstalls: [],
    });
    expect(nodeIn(join(worktree, 'packages', 'b'), "console.log(require('new-pkg').where, require('@x/y').y, require('@acme/a').version)")).toBe('new in main y stage');
    expect(lstatSync(join(modules(), '@x')).isSymbolicLink()).toBe(false); // a scope is a folder of links, as when created
    expect(readlinkSync(join(modules(), '.bin', 'new-pkg'))).toBe('../new-pkg/cli.js');
    expect(await refreshLinkedDependencies(root, worktree, ['node_modules/'])).toMatchObject({ added: [], updated: [], removed: [] });
  });

  it('removes links whose target is gone, and a scope they emptied, but never a real file or folder of the user’s', async () => {
    write(worktree, { 'node_modules/my-notes.txt': 'mine\n', 'node_modules/patched/package.json': '{}', 'node_modules/@types/mine/index.d.ts': '' });
    rmSync(join(root, 'node_modules', 'gone-soon'), { recursive: true });
    rmSync(join(root, 'node_modules', '.bin', 'gone-soon'));
    rmSync(join(root, 'node_modules', '@types'), { recursive: true });

    const refreshed = await refreshLinkedDependencies(root, worktree, ['node_modules/']);

    expect(refreshed.removed).toEqual(['node_modules/.bin/gone-soon', 'node_modules/@types/gone', 'node_modules/gone-soon']);
    expect(readFileSync(join(modules(), 'my-notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(modules(), 'patched', 'package.json'))).toBe(true);
    expect(readdirSync(join(modules(), '@types'))).toEqual(['mine']);
    expect(readdirSync(modules()).sort()).toEqual(['.bin', '.package-lock.json', '@acme', '@types', 'left-pad', 'my-notes.txt', 'patched']);
  });

  it('drops a scope folder that only held broken links', async () => {
    rmSync(join(root, 'node_modules', '@types'), { recursive: true });
    await refreshLinkedDependencies(root, worktree, ['node_modules/']);
    expect(existsSync(join(modules(), '@types'))).toBe(false);
  });

  it('re-points a broken link, and a mirror link main now points elsewhere (a pnpm upgrade); a user’s own working link stays', async () => {
    write(root, {
      'node_modules/.pnpm/is-odd@1.0.0/node_modules/is-odd/index.js': "exports.v = '1';\n",
      'node_modules/.pnpm/is-even@1.0.0/node_modules/is-even/index.js': "exports.v = '1';\n",
    });
    link(root, 'node_modules/is-odd', '.pnpm/is-odd@1.0.0/node_modules/is-odd');
    link(root, 'node_modules/is-even', '.pnpm/is-even@1.0.0/node_modules/is-even');
    await refreshLinkedDependencies(root, worktree, ['node_modules/']);
    const own = join(makeTempDir(), 'my-left-pad');
    write(own, { 'index.js': "exports.where = 'mine';\n" });
    rmSync(join(modules(), 'left-pad'));
    symlinkSync(own, join(modules(), 'left-pad')); // npm link
    // The upgrade: is-odd 2.0.0 replaces 1.0.0 (gone: the link breaks), is-even 2.0.0 lands beside 1.0.0.
    rmSync(join(root, 'node_modules', '.pnpm', 'is-odd@1.0.0'), { recursive: true });
    write(root, {
      'node_modules/.pnpm/is-odd@2.0.0/node_modules/is-odd/index.js': "exports.v = '2';\n",
      'node_modules/.pnpm/is-even@2.0.0/node_modules/is-even/index.js': "exports.v = '2';\n",
    });
    for (const name of ['is-odd', 'is-even']) {
      rmSync(join(root, 'node_modules', name));
      link(root, `node_modules/${name}`, `.pnpm/${name}@2.0.0/node_modules/${name}`);
    }

    const refreshed = await refreshLinkedDependencies(root, worktree, ['node_modules/']);

    expect(refreshed.updated).toEqual(['node_modules/is-even', 'node_modules/is-odd']);
    expect(nodeIn(join(worktree, 'packages', 'b'), "console.log(require('is-odd').v, require('is-even').v, require('left-pad').where)")).toBe('2 2 mine');
  });

  it('re-copies a metadata file main rewrote after the copy, but not one edited in the worktree since', async () => {
    const copy = join(modules(), '.package-lock.json');
    const original = join(root, 'node_modules', '.package-lock.json');
    writeFileSync(original, '{ "v": 2 }\n');
    utimesSync(copy, new Date(1_000_000), new Date(1_000_000));
    expect((await refreshLinkedDependencies(root, worktree, ['node_modules/'])).updated).toEqual(['node_modules/.package-lock.json']);
    expect(readFileSync(copy, 'utf8')).toBe('{ "v": 2 }\n');

    writeFileSync(copy, 'edited in the worktree\n');
    utimesSync(original, new Date(1_000_000), new Date(1_000_000));
    expect((await refreshLinkedDependencies(root, worktree, ['node_modules/'])).updated).toEqual([]);
    expect(readFileSync(copy, 'utf8')).toBe('edited in the worktree\n');
  });

  it('mirrors a node_modules the worktree does not have yet, and leaves a real install alone', async () => {
    write(root, { 'packages/b/node_modules/x/index.js': '' });
    rmSync(modules(), { recursive: true });
    write(worktree, { 'node_modules/left-pad/package.json': '{}', 'node_modules/@acme/a/package.json': '{}' });
    const before = tree(modules());

    const refreshed = await refreshLinkedDependencies(root, worktree, ['node_modules/', 'packages/b/node_modules/']);

    expect(refreshed).toMatchObject({ folders: ['packages/b/node_modules'], added: ['packages/b/node_modules'], realInstalls: ['node_modules'] });
    expect(tree(modules())).toEqual(before);
    expect(lstatSync(join(worktree, 'packages', 'b', 'node_modules', 'x')).isSymbolicLink()).toBe(true);
  });

  it('tells a real install from a mirror', async () => {
    expect(await isRealInstall(modules())).toBe(false);
    write(worktree, { 'node_modules/mine/package.json': '{}' }); // one package of the user's among the links
    expect(await isRealInstall(modules())).toBe(false);
    const pnpm = join(makeTempDir(), 'node_modules');
    write(pnpm, { '.pnpm/a@1/node_modules/a/index.js': '' });
    link(pnpm, 'a', '.pnpm/a@1/node_modules/a');
    expect(await isRealInstall(pnpm)).toBe(true);
    const npm = join(makeTempDir(), 'node_modules');
    write(npm, { 'a/package.json': '{}', 'b/package.json': '{}', '@s/c/package.json': '{}' });
    link(npm, '@acme/own', '../../packages/own');
    expect(await isRealInstall(npm)).toBe(true);
  });
});
