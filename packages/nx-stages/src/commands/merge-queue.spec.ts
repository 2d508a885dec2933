import { stage } from '../core/test-support/plan-data';
import { commitFile, git, head, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { mergeQueueCommand } from './merge-queue';
import { createStageRepo, fixturePlan, proveStage, startStage } from './test-support/stage-fixture';

describe('the merge queue on a real repository', () => {
  useTempRepos();
  jest.setTimeout(120_000);
  // Merge order: group A by priority (3 is P0, then 1), then group B (2 needs 1).
  const plan = fixturePlan([stage('1', { name: 'One' }), stage('2', { name: 'Two', dependsOn: ['1'] }), stage('3', { name: 'Three', priority: 'P0' })]);
  const [one, two, three] = plan.stages;
  const mergedSubjects = (root: string) => git(root, ['log', '--first-parent', '--merges', '--format=%s', 'main']).trim().split('\n').filter(Boolean).reverse();

  async function allProven(): Promise<{ root: string; worktrees: Record<string, string> }> {
    const root = createStageRepo();
    const worktrees = {
      '1': await startStage(root, plan, '1', {}, { 'one.txt': 'one\n' }),
      '3': await startStage(root, plan, '3', {}, { 'three.txt': 'three\n' }),
    };
    await proveStage(root, plan, one);
    await proveStage(root, plan, three);
    const twoWorktree = await startStage(root, plan, '2', { passed: 4 }, { 'two.txt': 'two\n' }, true);
    await proveStage(root, plan, two);
    return { root, worktrees: { ...worktrees, '2': twoWorktree } };
  }

  it("merges every ready stage one at a time in the plan's merge order, printing the queue first", async () => {
    const { root } = await allProven();
    const progress: string[] = [];
    const queued = await mergeQueueCommand(root, plan, {}, (line) => progress.push(line));
    expect(queued.ok).toBe(true);
    expect(queued.data).toMatchObject({
      base: 'main',
      queue: ['3', '1', '2'],
      waiting: [],
      results: [
        { id: '3', result: 'merged' },
        { id: '1', result: 'merged' },
        { id: '2', result: 'merged' },
      ],
    });
    expect(mergedSubjects(root)).toEqual(['Merge Stage 3: Three', 'Merge Stage 1: One', 'Merge Stage 2: Two']);
    expect(progress[0]).toBe("Merge queue into main, one at a time in the plan's merge order:\n  1. 3  Three\n  2. 1  One\n  3. 2  Two");
    expect(queued.text.split('\n').at(-1)).toBe('3 of 3 merged into main');
    // Run again: nothing left to merge.
    expect((await mergeQueueCommand(root, plan, {}, () => undefined)).text).toBe('Merge queue into main: no stage to merge.');
  });

  it('stops at the first refusal: the stages before it merged, the base as that merge left it, the rest not tried', async () => {
    const { root, worktrees } = await allProven();
    commitFile(worktrees['1'], 'one.txt', 'changed after the proof\n', 'work after the proof');
    const afterThree = { subjects: ['Merge Stage 3: Three'] };
    const queued = await mergeQueueCommand(root, plan, {}, () => undefined);
    expect(queued).toMatchObject({ ok: false, failure: { kind: 'refused', message: expect.stringContaining('Merge of stage 1 refused: its proof is not valid') } });
    expect(queued.data!.results.map((entry) => [entry.id, entry.result])).toEqual([
      ['3', 'merged'],
      ['1', 'refused'],
      ['2', 'not-tried'],
    ]);
    expect(mergedSubjects(root)).toEqual(afterThree.subjects);
    expect(queued.text).toMatch(/1 of 3 merged into main$/);
    expect(queued.text).toContain('Merge of stage 1 refused: its proof is not valid for stage-1');
  });

  it("as one stage's task in a run: merges the run's stages queued ahead of it, then it; alone, it is merge's own answer", async () => {
    const { root } = await allProven();
    const before = snapshot(root);
    const alone = await mergeQueueCommand(root, plan, { only: ['3'], upTo: '3' }, () => undefined);
    expect(alone).toMatchObject({ ok: true, text: expect.stringMatching(/^✔ Merged stage-3 into main/) });
    expect(snapshot(root)).not.toBe(before);
    const turn = await mergeQueueCommand(root, plan, { only: ['1', '2'], upTo: '2' }, () => undefined);
    expect(turn.data!.results.map((entry) => entry.id)).toEqual(['1', '2']);
    expect(mergedSubjects(root)).toEqual(['Merge Stage 3: Three', 'Merge Stage 1: One', 'Merge Stage 2: Two']);
    // A later task of the same run finds its stage merged.
    expect((await mergeQueueCommand(root, plan, { only: ['1', '2'], upTo: '1' }, () => undefined)).text).toBe('✔ Stage 1 is already merged into main.');
  });

  it('fails a stage whose turn comes after a refused one, without merging it', async () => {
    const { root, worktrees } = await allProven();
    commitFile(worktrees['3'], 'three.txt', 'changed after the proof\n', 'late work');
    const tip = head(root);
    const turn = await mergeQueueCommand(root, plan, { only: ['1', '3'], upTo: '1' }, () => undefined);
    expect(turn).toMatchObject({
      ok: false,
      failure: { kind: 'refused', message: expect.stringMatching(/^stage 3, ahead of 1 in the merge queue, was not merged: Merge of stage 3 refused/) },
    });
    expect(head(root)).toBe(tip);
  });
});
