import { readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
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
});
