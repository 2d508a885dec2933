import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { dependencyFiles, refreshDependencies, staleDependencies } from './dependencies';
import { linkDependencies } from './link-dependencies';
import { useFakePackageManagers } from './test-support/fake-package-manager';

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('dependencyFiles', () => {
  it('keeps lock files and package.json files at any depth, nothing else', () => {
    expect(
      dependencyFiles(['src/a.ts', 'package-lock.json', 'packages/b/package.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'docs/package.json.md', 'pnpm-workspace.yaml']),
    ).toEqual(['package-lock.json', 'packages/b/package.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'pnpm-workspace.yaml']);
  });
});

describe('refreshDependencies and staleDependencies', () => {
  useTempRepos();
  let root: string;
  let worktree: string;
  let restorePath = () => undefined as void;
  afterEach(() => restorePath());

  beforeEach(async () => {
    const parent = makeTempDir();
    root = join(parent, 'app');
    worktree = join(parent, 'app-stage-1');
    write(root, { 'package-lock.json': '{}', 'node_modules/left-pad/index.js': '', 'node_modules/@s/one/index.js': '', 'node_modules/.package-lock.json': '{}' });
    write(worktree, { 'package-lock.json': '{}' });
  });

  it('staleDependencies: packages main has that the mirror lacks or has broken links to — none once refreshed', async () => {
    await linkDependencies(root, worktree, ['node_modules/']);
    expect(await staleDependencies(root, worktree)).toEqual([]);
    write(root, { 'node_modules/new-pkg/index.js': '', 'node_modules/@s/two/index.js': '', 'node_modules/@t/three/index.js': '', 'node_modules/.bin/x': '' });
    symlinkSync(join(makeTempDir(), 'gone'), join(worktree, 'node_modules', 'left-pad-broken'));
    rmSync(join(worktree, 'node_modules', 'left-pad'));
    symlinkSync(join(root, 'nowhere'), join(worktree, 'node_modules', 'left-pad'));

    expect(await staleDependencies(root, worktree)).toEqual(['@s/two', '@t/three', 'left-pad', 'new-pkg']);

    const refreshed = await refreshDependencies(root, worktree, 'link');
    expect(refreshed).toEqual({ changed: true, summary: expect.stringContaining('linked node_modules/.bin, node_modules/@s/two, node_modules/@t, node_modules/new-pkg') });
    expect(refreshed.summary).toContain('re-linked node_modules/left-pad');
    expect(refreshed.summary).toContain('removed broken links node_modules/left-pad-broken');
    expect(await staleDependencies(root, worktree)).toEqual([]);
    expect(await refreshDependencies(root, worktree, 'link')).toEqual({ changed: false, summary: "dependencies already match the main checkout's (node_modules)" });
  });

  it('staleDependencies: every package when the worktree has no node_modules; none for a real install or without main’s', async () => {
    expect(await staleDependencies(root, worktree)).toEqual(['@s/one', 'left-pad']);
    write(worktree, { 'node_modules/left-pad/package.json': '{}', 'node_modules/other/package.json': '{}' });
    expect(await staleDependencies(root, worktree)).toEqual([]);
    expect(await staleDependencies(makeTempDir(), worktree)).toEqual([]);
  });

  it('link mode leaves one link for the whole node_modules as it is: it always shows main’s packages', async () => {
    symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'));
    expect(await refreshDependencies(root, worktree, 'link')).toEqual({ changed: false, summary: "dependencies already match the main checkout's (node_modules)" });
    expect(await staleDependencies(root, worktree)).toEqual([]);
    expect(lstatSync(join(worktree, 'node_modules')).isSymbolicLink()).toBe(true);
  });

  it('link mode says so and changes nothing when the worktree’s node_modules is a real install', async () => {
    write(worktree, { 'node_modules/left-pad/package.json': '{}', 'node_modules/other/package.json': '{}' });
    const refreshed = await refreshDependencies(root, worktree, 'link');
    expect(refreshed.changed).toBe(false);
    expect(refreshed.summary).toBe(
      `node_modules in ${worktree} is a real install, not a mirror of the main checkout's: left as it is; update with \`npm install --no-audit --no-fund\` there`,
    );
    expect(existsSync(join(worktree, 'node_modules', '@s'))).toBe(false);
  });

  it('install mode runs the package manager of the worktree’s lock file in the worktree', async () => {
    restorePath = useFakePackageManagers();
    expect(await refreshDependencies(root, worktree, 'install')).toEqual({ changed: true, summary: 'installed dependencies with npm install --no-audit --no-fund' });
    expect(readFileSync(join(worktree, 'node_modules', '.fake-install'), 'utf8')).toBe(`npm install --no-audit --no-fund\n${worktree}\n`);

    rmSync(join(worktree, 'package-lock.json'));
    write(worktree, { 'pnpm-lock.yaml': '' });
    expect((await refreshDependencies(root, worktree, 'install')).summary).toBe('installed dependencies with pnpm install --frozen-lockfile');
    expect(readFileSync(join(worktree, 'node_modules', '.fake-install'), 'utf8')).toContain('pnpm install --frozen-lockfile');
    expect(existsSync(join(root, 'node_modules', '.fake-install'))).toBe(false);
  });

  it('install mode rejects with the package manager’s words when it fails', async () => {
    restorePath = useFakePackageManagers('fail');
    await expect(refreshDependencies(root, worktree, 'install')).rejects.toThrow(`npm install --no-audit --no-fund failed in ${worktree}: fake: no network`);
  });

  it('install mode never runs into a mirror (or a link) of the main checkout’s node_modules: it would write into main', async () => {
    restorePath = useFakePackageManagers();
    await linkDependencies(root, worktree, ['node_modules/']);
    const refused = await refreshDependencies(root, worktree, 'install');
    expect(refused.changed).toBe(false);
    expect(refused.summary).toContain('an install there would write into the main checkout, so nothing ran');
    rmSync(join(worktree, 'node_modules'), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(worktree, 'node_modules'));
    expect((await refreshDependencies(root, worktree, 'install')).changed).toBe(false);
    expect(existsSync(join(root, 'node_modules', '.fake-install'))).toBe(false);
    expect(lstatSync(join(worktree, 'node_modules')).isSymbolicLink()).toBe(true);
  });

  it('none mode changes nothing and says what to run', async () => {
    expect(await refreshDependencies(root, worktree, 'none')).toEqual({
      changed: false,
      summary: `dependencies: none (as configured), so nothing was refreshed; to update them run \`npm install --no-audit --no-fund\` in ${worktree}`,
    });
    expect(existsSync(join(worktree, 'node_modules'))).toBe(false);
  });
});
