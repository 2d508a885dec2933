import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { createWorktree } from './create-worktree';
import { mergeStageCommand } from './merge';
import { syncStageCommand } from './sync';

describe('a stage branch that names the base is never touched, whichever base the verb uses', () => {
  jest.setTimeout(60_000);
  useTempRepos();
  // `{id}` alone with a stage called "main": validate refuses it for the base it detects; the
  // verbs judge the base they are about to use, with the main checkout on another branch.
  const plan = planOf([stage('main', { name: 'Main?' }), stage('dev', { name: 'Dev' })], { branchPattern: '{id}' });
  const refusal = (id: string) => `stage ${id}'s branch "${id}" is the base branch; nothing was changed. Change branchPattern in stages/stages.yaml`;

  it('worktree, sync and merge refuse and leave every branch and checkout as it was', async () => {
    const root = createRepo();
    git(root, ['switch', '--quiet', '-c', 'elsewhere']);
    commitFile(root, 'elsewhere.txt', 'x\n', 'work elsewhere');
    git(root, ['branch', 'dev', 'main']);
    const before = snapshot(root);
    const branches = git(root, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']);

    await expect(createWorktree(root, plan, 'main', { dependencies: 'none' })).rejects.toThrow(refusal('main'));
    await expect(createWorktree(root, plan, 'dev', { dependencies: 'none', base: 'dev' })).rejects.toThrow(refusal('dev'));
    expect(await syncStageCommand(root, plan, 'main')).toMatchObject({ success: false, output: expect.stringContaining(refusal('main')) });
    expect(await syncStageCommand(root, plan, 'dev', { base: 'dev' })).toMatchObject({ success: false, output: expect.stringContaining(refusal('dev')) });
    expect(await mergeStageCommand(root, plan, plan.stages[1], { base: 'dev' })).toMatchObject({ success: false, output: expect.stringContaining(refusal('dev')) });
    expect(await mergeStageCommand(root, plan, plan.stages[0])).toMatchObject({ success: false, output: expect.stringContaining(refusal('main')) });

    expect(snapshot(root)).toBe(before);
    expect(git(root, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'])).toBe(branches);
    expect(git(root, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });
});
