import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createWorktree } from '../commands/create-worktree';
import { commitPlan } from '../commands/test-support/plan-on-disk';
import { loadPlan } from '../core/load-plan';
import { commitFile, createRepo, git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { fsPlanSource } from '../plugin/fs-plan-source';
import { runCli } from './cli';

describe('npx nx-stages through its argument parser, on a real repository', () => {
  useTempRepos();
  let root: string;
  let worktree: string;
  let out: { log: string[]; error: string[] };
  const run = (...argv: string[]) => runCli(argv, root, { log: (text) => out.log.push(text), error: (text) => out.error.push(text) });

  /** A workspace whose stage 1 is worked on and merged: `clean` would remove its worktree. */
  beforeEach(async () => {
    root = join(makeTempDir(), 'app');
    renameSync(createRepo(), root);
    commitPlan(root, '', { '1': '' });
    worktree = (await createWorktree(root, loadPlan(fsPlanSource(root), 'stages'), '1', { dependencies: 'none' })).path;
    commitFile(worktree, 'one.txt', 'one\n', 'work 1');
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 1: Stage 1', 'stage-1']);
    out = { log: [], error: [] };
  });

  it.each([['--dry-run'], ['--dryRun']])('clean %s lists and removes nothing', async (flag) => {
    expect(await run('clean', flag, '--delete-branch')).toBe(0);
    expect(out.log.join('\n')).toMatch(/would remove stage 1: worktree .*app-stage-1 and branch stage-1/);
    expect(existsSync(worktree)).toBe(true);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
  });

  it('an unknown flag is an error naming it and the verb\'s usage; nothing is removed', async () => {
    expect(await run('clean', '--dryrun')).toBe(1);
    const said = out.error.join('\n');
    expect(said).toContain('unknown option --dryrun');
    expect(said).toContain('did you mean --dryRun?');
    expect(said).toContain('Usage: nx-stages clean [--dry-run] [--delete-branch] [--force]');
    expect(existsSync(worktree)).toBe(true);
  });

  it('invalid settings stop the command with validate\'s line', async () => {
    commitFile(root, 'stages/stages.yaml', 'name: stages\nbranchPattern: "refs/heads/{id}"\n', 'bad pattern');
    expect(await run('clean', '--dry-run')).toBe(1);
    expect(out.error.join('\n')).toContain('stages/stages.yaml:2: error: invalid branchPattern');
    expect(existsSync(worktree)).toBe(true);
  });
});
