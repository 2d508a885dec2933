import { logger } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitFile, createRepo, git, makeTempDir, useTempRepos } from '../../git/test-support/temp-repo';
import { vscodeGenerator } from './generator';

describe('vscode generator on a real repository', () => {
  useTempRepos();
  beforeEach(() => jest.spyOn(logger, 'info').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  function workspace() {
    // Its own parent folder: stage worktrees are siblings of the workspace.
    const root = join(makeTempDir(), 'app');
    renameSync(createRepo(), root);
    mkdirSync(join(root, 'stages', '1-one'), { recursive: true });
    writeFileSync(join(root, 'stages', 'stages.yaml'), '');
    writeFileSync(join(root, 'stages', '1-one', 'stage.yaml'), 'id: "1"\nname: One\nduration: 1w\n');
    mkdirSync(join(root, 'stages', '2-two'), { recursive: true });
    writeFileSync(join(root, 'stages', '2-two', 'stage.yaml'), 'id: "2"\nname: Two\nduration: 1w\n');
    commitFile(root, 'README.md', 'app\n', 'readme');
    git(root, ['worktree', 'add', '--quiet', '-b', 'stage-2', join(root, '..', 'app-stage-2')]);
    return root;
  }

  it('lists the main checkout and every stage worktree, and keeps the user’s settings when run again', async () => {
    const root = workspace();
    const tree = new FsTree(root, false);
    tree.write('stages.code-workspace', '{\n  // mine\n  "settings": { "editor.tabSize": 2 },\n  "folders": []\n}\n');
    await vscodeGenerator(tree, {});
    const written = JSON.parse(tree.read('stages.code-workspace', 'utf-8')!);
    expect(written.settings).toEqual({ 'editor.tabSize': 2 });
    expect(written.folders).toEqual([
      { path: '.', name: expect.stringContaining('(main)') },
      { path: '../app-stage-2', name: 'stage 2: Two' },
    ]);
  });

  it('refuses a file outside the workspace', async () => {
    await expect(vscodeGenerator(new FsTree(workspace(), false), { file: '../x.code-workspace' })).rejects.toThrow('inside the workspace');
  });
});
