import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stage } from '../core/test-support/plan-data';
import { git, head, snapshot, useTempRepos } from '../git/test-support/temp-repo';
import { createWorktree } from './create-worktree';
import { newWorktree } from './test-support/new-worktree';
import { rendered } from './test-support/rendered';
import { createStageRepo, fixturePlan } from './test-support/stage-fixture';
import { sleepingHook, startChild, stateFiles, stopHook, waitForHook } from './test-support/interrupt-child';

// git runs post-checkout in `git worktree add` once the worktree is checked out: a hook that
// sleeps there holds the creation with the branch made and the worktree registered.
describe('worktree creation interrupted on a real repository', () => {
  useTempRepos();
  jest.setTimeout(90_000);
  const plan = fixturePlan([stage('1', { name: 'Alpha' })]);
  let marker: string | undefined;
  afterEach(() => marker && stopHook(marker));

  const folderOf = (root: string) => `${root}-stage-1`;
  const runCreate = (root: string) => startChild('commands/create-worktree.ts', "m.createWorktree(args[0], args[1], '1', { dependencies: 'none' })", [root, plan]);
  /** The half-made worktree a SIGKILL left: its branch, its registration, its folder, the lock, the journal. */
  async function killedCreation() {
    const root = createStageRepo();
    const before = snapshot(root);
    marker = sleepingHook(root, 'post-checkout');
    const running = runCreate(root);
    await waitForHook(marker, running);
    process.kill(-running.child.pid!, 'SIGKILL');
    await running.done;
    expect(git(root, ['branch', '--list', 'stage-1'])).not.toBe('');
    expect(git(root, ['worktree', 'list'])).toContain(folderOf(root));
    expect(stateFiles(root, 'locks')).toEqual(['worktrees.lock']);
    expect(stateFiles(root, 'journal')).toEqual(['worktree-1.json']);
    rmSync(join(root, '.git', 'hooks', 'post-checkout'));
    return { root, before };
  }

  it('Ctrl+C (SIGINT to the process group) removes the branch and worktree it made, releases the lock, says so; the next try succeeds', async () => {
    const root = createStageRepo();
    const before = snapshot(root);
    marker = sleepingHook(root, 'post-checkout');
    const running = runCreate(root);
    await waitForHook(marker, running);
    process.kill(-running.child.pid!, 'SIGINT');
    const outcome = await running.done;

    expect(outcome.code).toBe(1);
    const created = JSON.parse(outcome.stdout);
    expect(created).toMatchObject({ ok: false, failure: { kind: 'interrupted', interrupted: 'SIGINT' } });
    expect(rendered(created, { '<folder>': folderOf(root) }).stderr).toMatchInlineSnapshot(
      `"Interrupted (SIGINT) while creating worktree <folder> for stage-1: removed it and the branch stage-1 again. Nothing was left behind."`,
    );
    expect(snapshot(root)).toBe(before);
    expect(existsSync(folderOf(root))).toBe(false);
    expect(stateFiles(root, 'locks')).toEqual([]);
    expect(stateFiles(root, 'journal')).toEqual([]);

    rmSync(join(root, '.git', 'hooks', 'post-checkout'));
    expect(await createWorktree(root, plan, '1', { dependencies: 'none' })).toMatchObject({ ok: true, data: { path: folderOf(root), branch: 'stage-1', createdBranch: true } });
  });

  it('after a SIGKILL the next try finds the half-made worktree, says so, removes it and creates it anew', async () => {
    const { root, before } = await killedCreation();
    const log: string[] = [];
    const created = await newWorktree(root, plan, '1', { dependencies: 'none', log: (line) => log.push(line) });
    expect(log[0]).toMatch(
      new RegExp(
        `^Found the worktree of stage 1 left half-made by an interrupted call \\(pid \\d+, started .*\\): removed the worktree ${folderOf(root)} and deleted the branch stage-1\\.$`,
      ),
    );
    expect(created).toMatchObject({ path: folderOf(root), createdBranch: true });
    expect(head(created.path)).toBe(head(root));
    expect(snapshot(root)).not.toBe(before);
    expect(stateFiles(root, 'journal')).toEqual([]);
  });

  it('never removes what a person did in the half-made worktree after the kill', async () => {
    const { root } = await killedCreation();
    writeFileSync(join(folderOf(root), 'notes.txt'), 'my notes\n');
    const log: string[] = [];
    const refused = await createWorktree(root, plan, '1', { dependencies: 'none', log: (line) => log.push(line) });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'exists', message: expect.stringMatching(/already checked out at|already exists/) } });
    expect(log[0]).toMatch(/\): kept the worktree .* \(changed since: notes\.txt\)\.$/);
    expect(readFileSync(join(folderOf(root), 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(git(root, ['branch', '--list', 'stage-1'])).not.toBe('');
  });
});
