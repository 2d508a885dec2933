import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from '../init/generator';
import { stageGenerator } from '../stage/generator';
import { worktreeGenerator } from './generator';

// The git side (branch, worktree, links, rollback) is tested on real repositories in
// commands/create-worktree.spec.ts and through Nx in e2e/worktree.spec.ts; here, the Tree phase.
describe('worktree generator, before its callback', () => {
  let tree: Tree;
  let info: jest.SpyInstance;
  beforeEach(async () => {
    tree = createTreeWithEmptyWorkspace();
    info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    await initGenerator(tree, {});
    await stageGenerator(tree, { id: '9.10', name: 'Reports', files: 'src/reports/**' });
  });
  afterEach(() => jest.restoreAllMocks());

  it('prints the plan and changes no file: everything else happens in the callback, which --dry-run skips', async () => {
    const before = tree.listChanges().map((change) => change.path);
    const callback = await worktreeGenerator(tree, { id: '9.10', stack: true });
    expect(typeof callback).toBe('function');
    expect(tree.listChanges().map((change) => change.path)).toEqual(before);
    expect(info.mock.calls.flat().join('\n')).toContain(
      'Stage 9.10 (Reports): branch stage-9.10, worktree ../virtual-stage-9.10, dependencies: link, stacked on unmerged dependencies',
    );
  });

  it('refuses an unknown stage, naming the nearest one', async () => {
    // One Error, its message the failure as the bin says it: Nx prints it and exits 1.
    await expect(worktreeGenerator(tree, { id: '9.1' })).rejects.toThrowErrorMatchingInlineSnapshot(
      `"no stage "9.1" in stages/stages.yaml (did you mean 9.10?). \`npx nx-stages list\` lists them."`,
    );
  });

  it('a failure in the callback is one Error with the failure’s words (no git repository here)', async () => {
    const callback = await worktreeGenerator(tree, { id: '9.10' });
    await expect(callback()).rejects.toThrowErrorMatchingInlineSnapshot(`"/virtual does not exist. Run the command from inside a git checkout."`);
  });

  it('refuses when stages.yaml has invalid settings, naming the file and line, instead of using defaults', async () => {
    tree.write('stages/stages.yaml', 'name: stages\nworktreeDir: "inside/{id}"\n');
    await expect(worktreeGenerator(tree, { id: '9.10' })).rejects.toThrow('stages/stages.yaml:2: error: invalid worktreeDir');
  });
});
