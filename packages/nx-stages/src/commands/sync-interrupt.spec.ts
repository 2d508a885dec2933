import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { stage } from '../core/test-support/plan-data';
import { commitFile, git, head, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { syncStageCommand } from './sync';
import { createStageRepo, fixturePlan, startStage } from './test-support/stage-fixture';
import { rendered } from './test-support/rendered';
import { sleepingHook, startChild, stateFiles, stopHook, waitForHook } from './test-support/interrupt-child';

describe('sync interrupted on a real repository', () => {
  useTempRepos();
  jest.setTimeout(90_000);
  const plan = fixturePlan([stage('1', { name: 'Alpha' })]);
  let marker: string | undefined;
  afterEach(() => marker && stopHook(marker));

  /** Stage 1's worktree with a commit of its own, and a base that moved on: the sync has work to do. */
  async function stageBehind() {
    const root = createStageRepo();
    const worktree = await startStage(root, plan, '1', {}, { 'alpha.txt': 'alpha\n' });
    commitFile(root, 'base.txt', 'moved on\n', 'base moves on');
    return { root, worktree, before: { head: head(worktree), status: status(worktree), snapshot: snapshot(root) } };
  }
  const state = (root: string, worktree: string) => ({ head: head(worktree), status: status(worktree), snapshot: snapshot(root) });
  const runSync = (root: string, strategy: 'merge' | 'rebase') => startChild('commands/sync.ts', 'm.syncStageCommand(...args)', [root, plan, '1', { strategy }]);

  it('SIGTERM to the command alone stops its git, undoes the merge, releases the lock, says so; the next sync succeeds', async () => {
    const { root, worktree, before } = await stageBehind();
    marker = sleepingHook(root, 'pre-merge-commit');
    const running = runSync(root, 'merge');
    await waitForHook(marker, running);
    const signalled = Date.now();
    process.kill(running.child.pid!, 'SIGTERM');
    const outcome = await running.done;

    // Its git was stopped, not waited for: the hook sleeps 30 s.
    expect(Date.now() - signalled).toBeLessThan(10_000);

    expect(outcome.code).toBe(1);
    const synced = JSON.parse(outcome.stdout);
    expect(synced).toMatchObject({ ok: false, failure: { kind: 'interrupted', interrupted: 'SIGTERM' } });
    expect(rendered(synced, { '<worktree>': worktree }).stderr).toMatchInlineSnapshot(
      `"Sync of stage 1 interrupted: Merging main into stage-1 was interrupted (SIGTERM): the merge was undone; <worktree> is exactly as before."`,
    );
    expect(state(root, worktree)).toEqual(before);
    expect(stateFiles(root, 'locks')).toEqual([]);
    expect(stateFiles(root, 'journal')).toEqual([]);

    rmSync(join(root, '.git', 'hooks', 'pre-merge-commit'));
    expect(await syncStageCommand(root, plan, '1')).toMatchObject({ ok: true, text: expect.stringMatching(/^Stage 1: merged main into stage-1/), data: { result: 'merged' } });
  });

  it('after a SIGKILL mid-rebase the next sync finds it, says so, aborts it and rebases', async () => {
    const { root, worktree, before } = await stageBehind();
    // git rebase checks out the base first and runs post-checkout there, with the rebase begun.
    marker = sleepingHook(root, 'post-checkout');
    const running = runSync(root, 'rebase');
    await waitForHook(marker, running);
    process.kill(-running.child.pid!, 'SIGKILL');
    await running.done;
    expect(git(worktree, ['status'])).toContain('rebase in progress');

    rmSync(join(root, '.git', 'hooks', 'post-checkout'));
    const next = await syncStageCommand(root, plan, '1', { strategy: 'rebase' });
    // What was repaired is a note (stderr); the answer is the sync's own line.
    expect(next).toMatchObject({ ok: true, text: expect.stringMatching(/^Stage 1: rebased main into stage-1 \(now [0-9a-f]{7}\)$/), data: { result: 'rebased' } });
    expect(next.notes).toEqual([
      expect.stringMatching(
        new RegExp(`^Found a sync left half-done by an interrupted call \\(pid \\d+, started .*\\) in ${worktree}: undid it; stage-1 is back at ${before.head.slice(0, 7)}\\.$`),
      ),
    ]);
    expect(git(worktree, ['log', '--format=%s', '-3']).trim().split('\n')).toEqual(['stage 1: alpha.txt', 'stage 1 work', 'base moves on']);
    expect(status(worktree)).toBe('');
    expect(stateFiles(root, 'journal')).toEqual([]);
  });
});
