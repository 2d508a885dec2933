import { failureText } from '../core/outcome';
import { planOf, stage } from '../core/test-support/plan-data';
import { createRepo, useTempRepos } from '../git/test-support/temp-repo';
import { locateStageCheckout } from './stage-checkout';
import { newWorktree } from './test-support/new-worktree';

describe('locateStageCheckout on a real repository', () => {
  useTempRepos();
  const plan = planOf([stage('1')]);

  it("finds the stage's worktree, and the current checkout when it is on the stage branch", async () => {
    const root = createRepo();
    const { path } = await newWorktree(root, plan, '1', { dependencies: 'none' });
    expect(await locateStageCheckout(root, plan, '1')).toMatchObject({ ok: true, value: { checkout: path, branch: 'stage-1', base: 'main', inPlace: false } });
    expect(await locateStageCheckout(path, plan, '1')).toMatchObject({ ok: true, value: { checkout: path, inPlace: true } });
  });

  it('a stage without a checkout is not-found, naming its branch and how to make one', async () => {
    const located = await locateStageCheckout(createRepo(), plan, '1');
    expect(located).toMatchObject({ ok: false, kind: 'not-found' });
    expect(located.ok ? '' : failureText(located)).toMatchInlineSnapshot(
      `"Stage 1 has no checkout: its branch stage-1 is not checked out in any worktree. Create it with \`nx g nx-stages:worktree 1\`, or run this from a checkout of stage-1."`,
    );
  });
});
