import { readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, makeTempDir, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { rendered } from './test-support/rendered';
import { worktreeCommand } from './worktree';

describe('worktreeCommand (npx nx-stages worktree <id>)', () => {
  useTempRepos();
  let root: string;
  let progress: string[];
  const plan = planOf([stage('1', { name: 'First' }), stage('2', { name: 'Second', dependsOn: ['1'] })]);
  const siblings = () => readdirSync(dirname(root)).sort();

  beforeEach(() => {
    root = join(makeTempDir(), 'app');
    renameSync(createRepo(), root);
    commitFile(root, '.gitignore', 'node_modules\n', 'ignore');
    progress = [];
  });
  const command = (id: string, options = {}) => worktreeCommand(root, plan, id, options, (line) => progress.push(line));

  it('outputs only the new worktree’s path; progress goes elsewhere', async () => {
    const result = await command('1');
    const path = join(dirname(root), 'app-stage-1');
    expect(result).toMatchObject({ ok: true, text: path, data: { path, branch: 'stage-1', base: 'main', startPoint: 'main', createdBranch: true } });
    expect(rendered(result)).toEqual({ stdout: path, stderr: '', exitCode: 0 });
    expect(git(path, ['branch', '--show-current']).trim()).toBe('stage-1');
    expect(progress[0]).toBe('Stage 1 (First): branch stage-1, worktree ../app-stage-1, dependencies: link');
    expect(progress.at(-1)).toMatch(/^Stage 1 is ready on port \d+\.$/);
  });

  it('a dry run describes the worktree, outputs nothing and creates nothing', async () => {
    const before = snapshot(root);
    const result = await command('2', { dryRun: true, stack: true, dependencies: 'none' });
    expect(result).toEqual({ ok: true, text: '', data: { dryRun: true, id: '2', branch: 'stage-2', path: join(dirname(root), 'app-stage-2') } });
    expect(progress).toEqual(['Stage 2 (Second): branch stage-2, worktree ../app-stage-2, dependencies: none, stacked on unmerged dependencies', 'Dry run: nothing was created.']);
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
  });

  it('refusals are failed outcomes with the reason and what to do, not exceptions, and leave nothing behind', async () => {
    const waiting = await command('2');
    expect(waiting).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(rendered(waiting).stderr).toMatchInlineSnapshot(`"Stage 2 depends on 1, not merged into main yet. Merge it first, or pass --stack to build on its branch."`);
    const unknown = await command('../x');
    expect(unknown).toMatchObject({ ok: false, failure: { kind: 'not-found' } });
    // No "nx-stages:" prefix: the same words as every other verb's unknown stage.
    expect(rendered(unknown).stderr).toMatchInlineSnapshot(`"no stage "../x" in stages/stages.yaml. \`npx nx-stages list\` lists them."`);
    expect(siblings()).toEqual(['app']);
  });

  it('refuses an unknown --dependencies mode, naming the valid ones, before touching git', async () => {
    const before = snapshot(root);
    for (const mode of ['copy', '', '$(touch pwned)']) {
      const refused = await command('1', { dependencies: mode });
      expect(refused).toMatchObject({ ok: false, failure: { kind: 'invalid-input' } });
      expect(rendered(refused).stderr).toBe(`--dependencies must be one of link, install, none, not ${JSON.stringify(mode)}; nothing was created.`);
    }
    expect(progress).toEqual([]);
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
  });
});
