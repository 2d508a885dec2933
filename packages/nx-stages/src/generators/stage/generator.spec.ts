import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { loadPlan } from '../../core/load-plan';
import { initGenerator } from '../init/generator';
import { treePlanSource } from '../shared/tree-plan-source';
import { stageGenerator } from './generator';

describe('stage generator', () => {
  let tree: Tree;
  const files = () =>
    tree
      .listChanges()
      .map((change) => change.path)
      .sort();

  beforeEach(async () => {
    tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, {});
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('scaffolds stage.yaml and a README that read back as the stage', async () => {
    await stageGenerator(tree, {
      id: '9.1',
      name: 'Dashboard UI Components',
      duration: '2w',
      priority: 'P0',
      files: 'src/web-ui/app/dashboard/**',
      assignee: 'alice',
      value: 'Developers can build dashboards.',
      deliverables: 'Dashboard page,Widget layout',
    });
    const plan = loadPlan(treePlanSource(tree), 'stages');
    expect(plan.problems).toEqual([]);
    expect(plan.stages[0]).toMatchObject({
      id: '9.1',
      folder: 'stages/9.1-dashboard-ui-components',
      durationDays: 10,
      priority: 'P0',
      assignee: 'alice',
      files: ['src/web-ui/app/dashboard/**'],
      deliverables: ['Dashboard page', 'Widget layout'],
    });
    expect(tree.read('stages/9.1-dashboard-ui-components/stage.yaml', 'utf-8')).toContain('id: "9.1"');
    expect(tree.read('stages/9.1-dashboard-ui-components/README.md', 'utf-8')).toContain('# Stage 9.1: Dashboard UI Components');
  });

  it('accepts dependencies as a list or comma-separated, and unicode names', async () => {
    await stageGenerator(tree, { id: 'a', name: 'A' });
    await stageGenerator(tree, { id: 'b', name: 'B' });
    await stageGenerator(tree, { id: 'c', name: 'Tableau de bord — données 📊', dependsOn: 'a, b' });
    await stageGenerator(tree, { id: 'd', name: '数据', dependsOn: ['a', 'c'] });
    const stages = loadPlan(treePlanSource(tree), 'stages').stages;
    expect(stages.map((stage) => [stage.id, stage.folder, stage.dependsOn])).toEqual([
      ['a', 'stages/a-a', []],
      ['b', 'stages/b-b', []],
      ['c', 'stages/c-tableau-de-bord-donnees', ['a', 'b']],
      ['d', 'stages/d', ['a', 'c']],
    ]);
    expect(stages[2].name).toBe('Tableau de bord — données 📊');
  });

  it('keeps a brace glob whole in --files, and splits on commas outside braces', async () => {
    await stageGenerator(tree, { id: '9.2', name: 'X', files: 'libs/shared/{header,styles}/**' });
    await stageGenerator(tree, { id: '9.3', name: 'Y', files: 'a/** , b/{c,d}/**,e/[xy]' });
    await stageGenerator(tree, { id: '9.4', name: 'Z', files: ['libs/{a,b}/**', 'c/**,d/**'] });
    const stages = loadPlan(treePlanSource(tree), 'stages').stages;
    expect(stages.map((stage) => [stage.id, stage.files])).toEqual([
      ['9.2', ['libs/shared/{header,styles}/**']],
      ['9.3', ['a/**', 'b/{c,d}/**', 'e/[xy]']],
      ['9.4', ['libs/{a,b}/**', 'c/**', 'd/**']],
    ]);
  });

  describe('refuses, writing nothing', () => {
    beforeEach(async () => {
      await stageGenerator(tree, { id: '9.1', name: 'Dashboard' });
    });

    it.each([
      ['../x', 'Invalid stage id'],
      ['a/b', 'Invalid stage id'],
      ['$(touch x)', 'Invalid stage id'],
      ['x;rm -rf y', 'Invalid stage id'],
      ['', 'Invalid stage id'],
      ['x'.repeat(65), 'Invalid stage id'],
      ['données', 'Invalid stage id'],
    ])('the id %j', async (id, message) => {
      const before = files();
      await expect(stageGenerator(tree, { id, name: 'X' })).rejects.toThrow(message);
      expect(files()).toEqual(before);
    });

    it('a duplicate id, naming the file that has it', async () => {
      await expect(stageGenerator(tree, { id: '9.1', name: 'Again' })).rejects.toThrow('Stage 9.1 already exists in stages/9.1-dashboard/stage.yaml');
    });

    it('an unknown dependency, suggesting the nearest id', async () => {
      await expect(stageGenerator(tree, { id: '9.4', name: 'X', dependsOn: '9.l' })).rejects.toThrow('did you mean "9.1"?');
    });

    it('a dependency cycle it would create', async () => {
      tree.write('stages/2-two/stage.yaml', 'id: "2"\nname: Two\nduration: 1w\ndependsOn: ["3"]\n');
      await expect(stageGenerator(tree, { id: '3', name: 'Three', dependsOn: '2' })).rejects.toThrow('dependency cycle: 2 → 3 → 2');
      expect(tree.exists('stages/3-three')).toBe(false);
    });

    it('bad field values', async () => {
      await expect(stageGenerator(tree, { id: 'x', name: 'X', duration: 'soon' })).rejects.toThrow('invalid duration "soon"');
      await expect(stageGenerator(tree, { id: 'x', name: 'X', assignee: 'Alice Smith' })).rejects.toThrow('invalid assignee');
      await expect(stageGenerator(tree, { id: 'x', name: 'X', files: '../secrets' })).rejects.toThrow('outside the workspace');
      await expect(stageGenerator(tree, { id: 'x', name: 'X', profile: 'nope' })).rejects.toThrow('unknown gate profile');
      await expect(stageGenerator(tree, { id: 'x', name: '   ' })).rejects.toThrow('"name" is empty');
    });

    it.each([
      ['libs/shared/{header,styles/**', '"{" at character 13 is never closed — close the group'],
      ['libs/{}/x', '"{}" at character 6 has no alternatives'],
      ['libs/{header}/**', 'write header without braces'],
      ['src/***/x.ts', '"***" at character 5 is not a glob'],
      ['src/a[bc/**', '"[" in "a[bc" is never closed'],
    ])('the broken glob %j', async (glob, message) => {
      const before = files();
      await expect(stageGenerator(tree, { id: '9.2', name: 'X', files: glob })).rejects.toThrow(message);
      expect(files()).toEqual(before);
    });

    it('a missing plan', async () => {
      await expect(stageGenerator(tree, { id: 'x', name: 'X', plan: 'elsewhere' })).rejects.toThrow('Run `nx g nx-stages:init` first');
    });
  });

  it('warns, but creates the stage, when it owns files of a stage that may run in parallel', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await stageGenerator(tree, { id: 'a', name: 'A', files: 'src/app/**' });
    await stageGenerator(tree, { id: 'b', name: 'B', files: 'src/app/page.tsx' });
    await stageGenerator(tree, { id: 'c', name: 'C', files: 'src/app/layout.tsx', dependsOn: 'a' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('stages a and b may run in parallel but both own src/app/** ~ src/app/page.tsx');
    expect(warn.mock.calls[0][0]).toMatch(/: warning: .*\(created anyway; `nx run stages:validate` fails on it until it is fixed\)$/);
    expect(tree.exists('stages/b-b/stage.yaml')).toBe(true);
  });
});
