import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { createWorktree } from './create-worktree';
import { mergeStageCommand } from './merge';
import { syncStageCommand } from './sync';
import { rendered } from './test-support/rendered';

describe('a stage branch that names the base is never touched, whichever base the verb uses', () => {
  jest.setTimeout(60_000);
  useTempRepos();
  // `{id}` alone with a stage called "main": validate refuses it for the base it detects; the
  // verbs judge the base they are about to use, with the main checkout on another branch.
  const plan = planOf([stage('main', { name: 'Main?' }), stage('dev', { name: 'Dev' })], { branchPattern: '{id}' });
  const refusal = (id: string) => ({
    kind: 'refused',
    message: expect.stringMatching(new RegExp(`stage ${id}'s branch "${id}" is the base branch; nothing was changed$`)),
    hint: 'Change branchPattern in stages/stages.yaml (e.g. stage-{id}) or give the stage another id.',
  });

  it('worktree, sync and merge refuse and leave every branch and checkout as it was', async () => {
    const root = createRepo();
    git(root, ['switch', '--quiet', '-c', 'elsewhere']);
    commitFile(root, 'elsewhere.txt', 'x\n', 'work elsewhere');
    git(root, ['branch', 'dev', 'main']);
    const before = snapshot(root);
    const branches = git(root, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']);

    expect(await createWorktree(root, plan, 'main', { dependencies: 'none' })).toMatchObject({ ok: false, failure: refusal('main') });
    expect(await createWorktree(root, plan, 'dev', { dependencies: 'none', base: 'dev' })).toMatchObject({ ok: false, failure: refusal('dev') });
    expect(await syncStageCommand(root, plan, 'main')).toMatchObject({ ok: false, failure: refusal('main') });
    expect(await syncStageCommand(root, plan, 'dev', { base: 'dev' })).toMatchObject({ ok: false, failure: refusal('dev') });
    expect(await mergeStageCommand(root, plan, plan.stages[1], { base: 'dev' })).toMatchObject({ ok: false, failure: refusal('dev') });
    const merge = await mergeStageCommand(root, plan, plan.stages[0]);
    expect(merge).toMatchObject({ ok: false, failure: refusal('main') });
    expect(rendered(merge).stderr).toMatchInlineSnapshot(
      `"Merge of stage main refused: stage main's branch "main" is the base branch; nothing was changed. Change branchPattern in stages/stages.yaml (e.g. stage-{id}) or give the stage another id."`,
    );

    expect(snapshot(root)).toBe(before);
    expect(git(root, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'])).toBe(branches);
    expect(git(root, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });
});
