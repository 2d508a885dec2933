import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { onTheForge, teamRemote } from '../git/test-support/team-repos';
import { commitFile, git, head, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { conflictsCommand } from './conflicts';
import { newWorktree } from './test-support/new-worktree';

describe('conflicts for a team on a shared remote', () => {
  jest.setTimeout(60_000);
  useTempRepos();
  const plan = planOf([stage('1', { files: ['one.txt', 'shared.txt'] }), stage('2', { files: ['two.txt', 'shared.txt'] })]);

  /** main has shared.txt; Bob publishes stage 2, which edits its line; Ann has stage 1 in a worktree of her clone. */
  async function team() {
    const { bare, clone } = teamRemote();
    const bob = clone('bob');
    commitFile(bob, 'shared.txt', 'line\n', 'shared');
    git(bob, ['push', '--quiet', 'origin', 'main']);
    const ann = clone('ann');
    git(bob, ['switch', '--quiet', '-c', 'stage-2']);
    commitFile(bob, 'shared.txt', 'line by bob\n', 'stage 2 work');
    git(bob, ['push', '--quiet', 'origin', 'stage-2']);
    const worktree = (await newWorktree(ann, plan, '1', { dependencies: 'none' })).path;
    return { bare, ann, bob, worktree };
  }

  /** Refs, HEAD, index and files of a checkout: what a forecast must leave as they were. */
  const untouched = (dir: string) => [snapshot(dir), head(dir), git(dir, ['ls-files', '--stage']), status(dir)].join('\n');

  it("forecasts a teammate's branch only the remote has, read from origin/stage-2 after --fetch, and says when it fetched", async () => {
    const { ann, worktree } = await team();
    commitFile(worktree, 'shared.txt', 'line by ann\n', 'stage 1 work');
    const before = await conflictsCommand(ann, plan);
    expect(before).toMatchObject({
      ok: true,
      data: {
        remote: { name: 'origin' },
        stages: [
          { id: '1', state: 'unmerged', ref: 'stage-1' },
          { id: '2', state: 'no-branch', ref: null },
        ],
      },
    });
    expect(before.data!.remote).not.toHaveProperty('fetchedAt');

    const fetched = await conflictsCommand(ann, plan, { fetch: true });
    expect(fetched).toMatchObject({
      ok: false,
      failure: { kind: 'failed' },
      data: {
        base: 'main',
        remote: { name: 'origin', fetchedAt: expect.any(String) },
        stages: [
          { id: '1', state: 'unmerged', ref: 'stage-1', uncommitted: null },
          { id: '2', state: 'unmerged', ref: 'origin/stage-2', uncommitted: null },
        ],
        conflicts: [{ stages: ['1', '2'], files: ['shared.txt'] }],
      },
    });
    expect(fetched.text).toMatch(/^Read from origin \(fetched \d{4}-\d\d-\d\d \d\d:\d\d UTC; --fetch refreshes\): 2 \(origin\/stage-2\); the others from this clone\.$/m);
    // No local branch was made for the teammate's stage.
    expect(git(ann, ['branch', '--list', 'stage-2']).trim()).toBe('');
  });

  it('forecasts against the remote base when a stage was squash-merged there, and counts that stage as merged', async () => {
    const { bare, ann, worktree } = await team();
    commitFile(worktree, 'one.txt', 'one\n', 'stage 1 work');
    onTheForge(bare, (forge) => {
      git(forge, ['merge', '--quiet', '--squash', 'origin/stage-2']);
      git(forge, ['commit', '--quiet', '-m', 'Stage 2 (#2)']);
    });
    const result = await conflictsCommand(ann, plan, { fetch: true });
    expect(result).toMatchObject({
      ok: true,
      data: {
        base: 'origin/main',
        stages: [
          { id: '1', state: 'unmerged' },
          { id: '2', state: 'merged', ref: 'origin/stage-2' },
        ],
        simulation: { order: ['1'], firstConflict: null },
      },
    });
    // Stage 1 changed only one.txt: the squash on the remote's base is not drift of its own.
    expect(result.data!.drift).toEqual([]);
    expect(git(ann, ['rev-parse', 'main']).trim()).not.toBe(git(ann, ['rev-parse', 'origin/main']).trim());
  });

  it("with --uncommitted forecasts a worktree's uncommitted work, touching neither its index, HEAD nor files", async () => {
    const { ann, worktree } = await team();
    git(ann, ['fetch', '--quiet', 'origin']);
    writeFileSync(join(worktree, 'shared.txt'), 'line by ann, not committed\n');
    writeFileSync(join(worktree, 'new.txt'), 'a new file\n');
    const committed = await conflictsCommand(ann, plan);
    // Without the flag: the branch has no commits of its own, so nothing of stage 1 is forecast.
    expect(committed).toMatchObject({
      ok: true,
      data: {
        stages: [
          { id: '1', state: 'no-commits', uncommitted: null },
          { id: '2', state: 'unmerged' },
        ],
      },
    });

    const before = { worktree: untouched(worktree), ann: untouched(ann) };
    const result = await conflictsCommand(ann, plan, { uncommitted: true });
    expect(result).toMatchObject({
      ok: false,
      data: {
        stages: [
          { id: '1', state: 'unmerged', ref: 'stage-1', uncommitted: ['shared.txt', 'new.txt'] },
          { id: '2', state: 'unmerged', ref: 'origin/stage-2' },
        ],
        conflicts: [{ stages: ['1', '2'], files: ['shared.txt'] }],
        drift: [{ stage: '1', files: ['new.txt'] }],
      },
    });
    expect(result.text).toContain('Taken with uncommitted work (--uncommitted): 1 (2 files).');
    expect({ worktree: untouched(worktree), ann: untouched(ann) }).toEqual(before);
  });

  it('fails clearly, with no forecast and nothing changed, when the remote cannot be fetched', async () => {
    const { ann } = await team();
    git(ann, ['remote', 'set-url', 'origin', join(ann, 'gone.git')]);
    const before = untouched(ann);
    const result = await conflictsCommand(ann, plan, { fetch: true });
    expect(result).toMatchObject({ ok: false, text: '', failure: { message: expect.stringContaining('Could not fetch origin'), hint: expect.stringContaining('git remote -v') } });
    expect(result.data).toBeUndefined();
    expect(untouched(ann)).toBe(before);
  });

  it('with remote: none reads local branches only, as before', async () => {
    const { ann } = await team();
    git(ann, ['fetch', '--quiet', 'origin']);
    const result = await conflictsCommand(ann, planOf(plan.stages, { remote: 'none' }), { fetch: true });
    expect(result).toMatchObject({
      ok: true,
      data: {
        remote: null,
        stages: [
          { id: '1', state: 'no-commits' },
          { id: '2', state: 'no-branch' },
        ],
      },
    });
    expect(result.text).not.toContain('origin');
  });
});
