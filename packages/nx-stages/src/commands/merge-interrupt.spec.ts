import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stage } from '../core/test-support/plan-data';
import { commitFile, git, head, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { mergeStageCommand } from './merge';
import { createStageRepo, fixturePlan, proveStage, startStage } from './test-support/stage-fixture';
import { rendered } from './test-support/rendered';
import { sleepingHook, startChild, stateFiles, stopHook, waitForHook } from './test-support/interrupt-child';

// git 2.39 runs pre-merge-commit after it has staged the merge and before it writes MERGE_HEAD:
// a hook that sleeps there holds `merge` at its most awkward moment.
describe('merge interrupted on a real repository', () => {
  useTempRepos();
  jest.setTimeout(90_000);
  const plan = fixturePlan([stage('1', { name: 'Alpha' })]);
  const [one] = plan.stages;
  let marker: string | undefined;
  afterEach(() => marker && stopHook(marker));

  /** A proven stage 1 with a change to merge, and the base's state before the merge. */
  async function provenStage() {
    const root = createStageRepo();
    await startStage(root, plan, '1', {}, { 'alpha.txt': 'alpha\n' });
    await proveStage(root, plan, one);
    commitFile(root, 'base.txt', 'moved on\n', 'base moves on'); // a real merge commit, not a fast-forward
    return { root, before: { head: head(root), status: status(root), snapshot: snapshot(root) } };
  }
  const state = (root: string) => ({ head: head(root), status: status(root), snapshot: snapshot(root) });
  const merging = (root: string) => existsSync(join(root, '.git', 'MERGE_HEAD'));
  const runMerge = (root: string) => startChild('commands/merge.ts', 'm.mergeStageCommand(...args)', [root, plan, one]);

  it('Ctrl+C (SIGINT to the process group) undoes the merge, releases the lock, says so; the next merge succeeds', async () => {
    const { root, before } = await provenStage();
    marker = sleepingHook(root, 'pre-merge-commit');
    const running = runMerge(root);
    await waitForHook(marker, running);
    process.kill(-running.child.pid!, 'SIGINT');
    const outcome = await running.done;

    expect(outcome.code).toBe(1);
    const merged = JSON.parse(outcome.stdout);
    expect(merged).toMatchObject({ ok: false, failure: { kind: 'interrupted', interrupted: 'SIGINT' } });
    expect(rendered(merged, { '<root>': root }).stderr).toMatch(
      /^Merge of stage 1 interrupted: Merging [0-9a-f]{7} into main was interrupted \(SIGINT\): the merge was undone; <root> is exactly as before\.$/,
    );
    expect(state(root)).toEqual(before);
    expect(merging(root)).toBe(false);
    expect(stateFiles(root, 'locks')).toEqual([]);
    expect(stateFiles(root, 'journal')).toEqual([]);

    rmSync(join(root, '.git', 'hooks', 'pre-merge-commit'));
    expect(await mergeStageCommand(root, plan, one)).toMatchObject({ ok: true, text: expect.stringMatching(/^✔ Merged stage-1 into main/), data: { result: 'merged' } });
  });

  it('after a SIGKILL the next merge finds the half-done merge, says so, undoes it and merges', async () => {
    const { root, before } = await provenStage();
    marker = sleepingHook(root, 'pre-merge-commit');
    const running = runMerge(root);
    await waitForHook(marker, running);
    process.kill(-running.child.pid!, 'SIGKILL');
    await running.done;
    // What the killed call left: the merge staged in the base, its lock and its journal.
    expect(status(root)).toContain('A  alpha.txt');
    expect(stateFiles(root, 'locks')).toEqual(['merge-into-main.lock']);
    expect(stateFiles(root, 'journal')).toEqual(['merge-into-main.json']);

    rmSync(join(root, '.git', 'hooks', 'pre-merge-commit'));
    const next = await mergeStageCommand(root, plan, one);
    // What was repaired is a note (stderr); the answer is the merge's own line.
    expect(next).toMatchObject({ ok: true, text: expect.stringMatching(/^✔ Merged stage-1 into main/), data: { result: 'merged' } });
    expect(next.notes).toEqual([
      expect.stringMatching(
        new RegExp(`^Found a merge left half-done by an interrupted call \\(pid \\d+, started .*\\) in ${root}: undid it; main is back at ${before.head.slice(0, 7)}\\.$`),
      ),
    ]);
    expect(git(root, ['log', '-1', '--format=%s%n%P']).trim().split('\n')).toEqual(['Merge Stage 1: Alpha', expect.stringContaining(before.head)]);
    expect(status(root)).toBe(before.status);
    expect(stateFiles(root, 'journal')).toEqual([]);
  });

  it('never undoes what a person did after the kill: their own merge in progress stays', async () => {
    const { root } = await provenStage();
    marker = sleepingHook(root, 'pre-merge-commit');
    const running = runMerge(root);
    await waitForHook(marker, running);
    process.kill(-running.child.pid!, 'SIGKILL');
    await running.done;
    rmSync(join(root, '.git', 'hooks', 'pre-merge-commit'));
    // The person cleans up by hand and starts a merge of their own, with a conflict.
    git(root, ['reset', '--merge']);
    git(root, ['switch', '-q', '-c', 'theirs', 'HEAD~1']);
    commitFile(root, 'base.txt', 'theirs\n', 'their change');
    git(root, ['switch', '-q', 'main']);
    expect(() => git(root, ['merge', 'theirs'])).toThrow();
    const mergeHead = git(root, ['rev-parse', 'MERGE_HEAD']).trim();

    const next = await mergeStageCommand(root, plan, one);
    expect(next).toMatchObject({ ok: false, failure: { kind: 'busy' } });
    // The note says what was found and kept; the failure says why the merge cannot start.
    const said = rendered(next, { '<root>': root }).stderr.split('\n');
    expect(said[0]).toMatch(/^Found a merge left half-done by an interrupted call .*, but <root> has a merge in progress, not what the merge of .* left: left as it is\.$/);
    expect(said.slice(1)).toMatchInlineSnapshot(`
      [
        "Merge of stage 1 refused: <root> is in the middle of another operation (MERGE_HEAD). Finish or abort it first (git merge --abort, git rebase --abort, …).",
      ]
    `);
    expect(git(root, ['rev-parse', 'MERGE_HEAD']).trim()).toBe(mergeHead);
  });
});
