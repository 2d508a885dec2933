import { logger, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRepo, useTempRepos } from '../../git/test-support/temp-repo';
import { loadPlan } from '../../core/load-plan';
import { treePlanSource } from '../shared/tree-plan-source';
import { initGenerator } from './generator';

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin, creates a valid plan file and the ignore entries', async () => {
    tree.write('.gitignore', 'node_modules/\ndist\n.nx/cache/');
    await initGenerator(tree, {});
    expect(readNxJson(tree)?.plugins).toContain('nx-stages');
    const plan = loadPlan(treePlanSource(tree), 'stages');
    expect(plan.problems).toEqual([]);
    expect(plan.settings.name).toBe('stages');
    const ignored = tree.read('.gitignore', 'utf-8')!.split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules/', 'dist', '.env.local', 'node_modules', '.nx/workspace-data']));
    // `.nx/cache/` already covers Nx's cache folder; `node_modules/` does not cover a symlink.
    expect(ignored.filter((line) => line.startsWith('.nx/cache'))).toEqual(['.nx/cache/']);
  });

  it('is idempotent and keeps an existing plan file', async () => {
    await initGenerator(tree, {});
    tree.write('stages/stages.yaml', 'teamSize: 4\n');
    await initGenerator(tree, {});
    expect(readNxJson(tree)?.plugins?.filter((plugin) => plugin === 'nx-stages')).toHaveLength(1);
    expect(tree.read('stages/stages.yaml', 'utf-8')).toBe('teamSize: 4\n');
    expect(tree.read('.gitignore', 'utf-8')!.match(/\.env\.local/g)).toHaveLength(1);
  });

  it('adds itself to nx.json with one edit: the rest keeps its layout, comments and key order', async () => {
    const text =
      '{\n    // the team\'s defaults\n    "targetDefaults": { "build": { "cache": true } },\n    "plugins": ["@nx/jest/plugin"],\n    "namedInputs": { "default": ["{projectRoot}/**/*"] }\n}\n';
    tree.write('nx.json', text);
    await initGenerator(tree, {});
    // Only the array it changes is laid out again, with the file's own indentation.
    expect(tree.read('nx.json', 'utf-8')).toBe(text.replace('["@nx/jest/plugin"]', '[\n        "@nx/jest/plugin",\n        "nx-stages"\n    ]'));
    tree.write('nx.json', '{\n  "npmScope": "acme"\n}\n');
    await initGenerator(tree, {});
    expect(tree.read('nx.json', 'utf-8')).toBe('{\n  "npmScope": "acme",\n  "plugins": [\n    "nx-stages"\n  ]\n}\n');
  });

  it('recognises the plugin registered with options', async () => {
    const nxJson = readNxJson(tree)!;
    tree.write('nx.json', JSON.stringify({ ...nxJson, plugins: [{ plugin: 'nx-stages', options: {} }] }));
    await initGenerator(tree, {});
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: 'nx-stages', options: {} }]);
  });

  it('creates the plan in another folder and refuses one outside the workspace', async () => {
    await initGenerator(tree, { plan: 'planning/q3' });
    expect(tree.exists('planning/q3/stages.yaml')).toBe(true);
    await expect(initGenerator(tree, { plan: '../elsewhere' })).rejects.toThrow('outside the workspace');
  });

  describe('the doctor summary after the files are written', () => {
    useTempRepos();
    afterEach(() => jest.restoreAllMocks());

    async function initOnDisk(gitignore: string): Promise<string> {
      const root = createRepo();
      writeFileSync(join(root, 'nx.json'), '{}');
      writeFileSync(join(root, 'package-lock.json'), '{}');
      writeFileSync(join(root, '.gitignore'), gitignore);
      const fsTree = new FsTree(root, false);
      const callback = await initGenerator(fsTree, {});
      flushChanges(root, fsTree.listChanges());
      const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
      await callback();
      return info.mock.calls.map((call) => String(call[0])).join('\n');
    }

    it('has nothing to report on a workspace init just set up', async () => {
      const printed = await initOnDisk('dist\n');
      expect(printed).toContain('✔ Nothing stops the gates from measuring in this workspace.');
      expect(printed).toContain('checked by: nx run stages:doctor');
    });

    it('prints what init cannot fix for you, with the fix', async () => {
      const printed = await initOnDisk('stage-proofs/\n');
      expect(printed).toContain('✖ stage-proofs/ is ignored (.gitignore:1: stage-proofs/)');
      expect(printed).toContain('    remove line 1 of .gitignore: stage-proofs/');
      expect(printed).not.toContain('✔ nx-stages is registered');
    });
  });
});
