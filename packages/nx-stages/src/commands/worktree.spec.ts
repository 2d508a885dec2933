import { readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, makeTempDir, snapshot, useTempRepos } from '../git/test-support/temp-repo';
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
    expect(result).toEqual({ success: true, output: join(dirname(root), 'app-stage-1') });
    expect(git(result.output, ['branch', '--show-current']).trim()).toBe('stage-1');
    expect(progress[0]).toBe('Stage 1 (First): branch stage-1, worktree ../app-stage-1, dependencies: link');
    expect(progress.at(-1)).toMatch(/^Stage 1 is ready on port \d+\.$/);
  });

  it('a dry run describes the worktree, outputs nothing and creates nothing', async () => {
    const before = snapshot(root);
    const result = await command('2', { dryRun: true, stack: true, dependencies: 'none' });
    expect(result).toEqual({ success: true, output: '' });
    expect(progress).toEqual(['Stage 2 (Second): branch stage-2, worktree ../app-stage-2, dependencies: none, stacked on unmerged dependencies', 'Dry run: nothing was created.']);
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
  });

  it('refusals are failures with the reason, not exceptions, and leave nothing behind', async () => {
    expect(await command('2')).toEqual({ success: false, output: expect.stringContaining('Stage 2 depends on 1, not merged into main yet') });
    expect(await command('../x')).toEqual({ success: false, output: 'nx-stages: No stage "../x" in stages/stages.yaml (stages: 1, 2). Create it with `nx g nx-stages:stage`.' });
    expect(siblings()).toEqual(['app']);
  });

  it('refuses an unknown --dependencies mode, naming the valid ones, before touching git', async () => {
    const before = snapshot(root);
    for (const mode of ['copy', '', '$(touch pwned)']) {
      expect(await command('1', { dependencies: mode })).toEqual({
        success: false,
        output: `nx-stages: --dependencies must be one of link, install, none, not ${JSON.stringify(mode)}. Nothing was created.`,
      });
    }
    expect(progress).toEqual([]);
    expect(snapshot(root)).toBe(before);
    expect(siblings()).toEqual(['app']);
  });
});
