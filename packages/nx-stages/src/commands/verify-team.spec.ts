import { stage } from '../core/test-support/plan-data';
import { teamRemote } from '../git/test-support/team-repos';
import { commitFile, git, useTempRepos } from '../git/test-support/temp-repo';
import { statusCommand } from './status';
import { createStageRepo, fixturePlan, proveStage, startStage } from './test-support/stage-fixture';
import { mergeStageCommand } from './merge';
import { verifyCommand } from './verify';

describe("a teammate's proof, read from the remote", () => {
  jest.setTimeout(120_000);
  useTempRepos();

  const plan = fixturePlan([stage('1')]);

  /** Bob proves stage 1 in his clone and pushes it; Ann has only fetched. */
  async function bobProved(): Promise<{ bare: string; ann: string; bob: string; worktree: string }> {
    const { bare, clone } = teamRemote(createStageRepo());
    const bob = clone('bob');
    const worktree = await startStage(bob, plan, '1');
    await proveStage(bob, plan, plan.stages[0]);
    git(worktree, ['push', '--quiet', 'origin', 'stage-1']);
    const ann = clone('ann');
    return { bare, ann, bob, worktree };
  }

  it('verifies it on origin/stage-1 without a checkout, and status shows it valid', async () => {
    const { ann } = await bobProved();
    const verified = await verifyCommand(ann, plan, plan.stages[0]);
    expect(verified).toMatchObject({ ok: true, data: { stage: '1', branch: 'origin/stage-1', valid: true } });
    expect(verified.text).toMatch(/^✔ Stage 1: the proof on origin\/stage-1 matches its content/);
    expect(git(ann, ['branch', '--list', 'stage-1']).trim()).toBe('');
    const row = (await statusCommand(ann, plan)).data!.stages[0];
    expect(row).toMatchObject({ copy: 'remote-only', proof: 'valid', branchExists: false });
  });

  it('refuses it once work was pushed after the proof', async () => {
    const { ann, worktree } = await bobProved();
    commitFile(worktree, 'later.txt', 'after the proof\n', 'work after the proof');
    git(worktree, ['push', '--quiet', 'origin', 'stage-1']);
    git(ann, ['fetch', '--quiet', 'origin']);
    const refused = await verifyCommand(ann, plan, plan.stages[0]);
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'refused' }, data: { branch: 'origin/stage-1', valid: false } });
    expect((await statusCommand(ann, plan)).data!.stages[0].proof).toBe('invalid');
  });

  it("merges a teammate's proven stage from the remote's copy, the verified commit, without a local branch", async () => {
    const { ann, worktree } = await bobProved();
    const proven = git(worktree, ['rev-parse', 'HEAD']).trim();
    const merged = await mergeStageCommand(ann, plan, plan.stages[0]);
    expect(merged).toMatchObject({ ok: true, data: { result: 'merged' } });
    expect(git(ann, ['log', '-1', '--format=%s%n%P']).trim().split('\n')).toEqual(['Merge Stage 1: Stage 1', expect.stringContaining(proven)]);
    expect(git(ann, ['branch', '--list', 'stage-1']).trim()).toBe('');
    expect(await mergeStageCommand(ann, plan, plan.stages[0])).toMatchObject({ ok: true, data: { result: 'already-merged' } });
  });
});
