import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  branchCopies,
  branchCopiesOf,
  deleteRemoteBranch,
  fetchRemote,
  lastFetched,
  localBranchTips,
  pushBranch,
  pushRefusal,
  pushTag,
  remoteBranchTips,
  resolveRemote,
} from './remote';
import { teamRemote } from './test-support/team-repos';
import { commitFile, createRepo, git, head, useTempRepos } from './test-support/temp-repo';

useTempRepos();

function team(): { bare: string; ann: string; bob: string } {
  const { bare, clone } = teamRemote();
  return { bare, ann: clone('ann'), bob: clone('bob') };
}

describe('resolveRemote', () => {
  it('takes origin when there is one, none when asked, and refuses a remote that does not exist', async () => {
    const { ann } = team();
    expect(await resolveRemote(ann, undefined, 'stages/stages.yaml')).toEqual({ ok: true, value: 'origin' });
    expect(await resolveRemote(ann, 'none', 'stages/stages.yaml')).toEqual({ ok: true, value: undefined });
    expect(await resolveRemote(createRepo(), undefined, 'stages/stages.yaml')).toEqual({ ok: true, value: undefined });
    const missing = await resolveRemote(ann, 'upstream', 'stages/stages.yaml');
    expect(missing).toMatchObject({ ok: false, kind: 'not-found' });
    expect(!missing.ok && missing.message).toBe(`stages/stages.yaml sets remote: upstream, but ${ann} has no remote named upstream (its remotes are origin)`);
  });
});

describe('a teammate’s branch through the remote', () => {
  it('is seen after a fetch, with when the fetch was', async () => {
    const { ann, bob } = team();
    git(bob, ['switch', '--quiet', '-c', 'stage-2']);
    const tip = commitFile(bob, 'b.txt', 'b\n', 'stage 2 work');
    expect(await pushBranch(bob, 'origin', 'stage-2', { upstream: true })).toEqual({ ok: true, value: undefined });
    expect(git(bob, ['rev-parse', '--abbrev-ref', 'stage-2@{upstream}']).trim()).toBe('origin/stage-2');

    const before = await remoteBranchTips(ann, 'origin');
    expect(before.ok && before.value.has('stage-2')).toBe(false);
    expect(await fetchRemote(ann, 'origin')).toEqual({ ok: true, value: undefined });
    const after = await remoteBranchTips(ann, 'origin');
    expect(after.ok && after.value.get('stage-2')).toBe(tip);
    expect(after.ok && after.value.has('HEAD')).toBe(false);
    expect(Date.parse(lastFetched(join(ann, '.git')) ?? '')).toBeGreaterThan(0);
    expect(lastFetched(join(createRepo(), '.git'))).toBeUndefined();
  });

  it("fetches although a local tag names another commit than the remote's (a proof made again), and leaves local tags alone", async () => {
    const { ann, bob } = team();
    git(bob, ['tag', 'stage-1-complete']);
    git(bob, ['push', '--quiet', 'origin', 'refs/tags/stage-1-complete']);
    commitFile(ann, 'a.txt', 'a\n', 'ann');
    git(ann, ['tag', 'stage-1-complete']);
    expect(await fetchRemote(ann, 'origin')).toEqual({ ok: true, value: undefined });
    expect(git(ann, ['rev-parse', 'stage-1-complete^{commit}']).trim()).toBe(head(ann));
  });

  it('relates the local and remote copies', async () => {
    const { ann, bob } = team();
    git(bob, ['switch', '--quiet', '-c', 'stage-1']);
    commitFile(bob, 'b.txt', 'b\n', 'bob 1');
    await pushBranch(bob, 'origin', 'stage-1');
    await fetchRemote(ann, 'origin');
    const remoteTip = git(ann, ['rev-parse', 'origin/stage-1']).trim();
    expect((await branchCopies(ann, 'stage-1', undefined, remoteTip)).ok && 'remote-only').toBe('remote-only');
    git(ann, ['branch', '--quiet', 'stage-1', 'origin/stage-1']);
    const locals = await localBranchTips(ann);
    expect(locals.ok && locals.value.get('stage-1')).toBe(remoteTip);
    expect(await branchCopies(ann, 'stage-1', remoteTip, remoteTip)).toMatchObject({ ok: true, value: { relation: 'same' } });

    commitFile(bob, 'b.txt', 'b2\n', 'bob 2');
    await pushBranch(bob, 'origin', 'stage-1');
    await fetchRemote(ann, 'origin');
    const newer = git(ann, ['rev-parse', 'origin/stage-1']).trim();
    expect(await branchCopies(ann, 'stage-1', remoteTip, newer)).toMatchObject({ ok: true, value: { relation: 'local-behind' } });
    git(ann, ['switch', '--quiet', 'stage-1']);
    const annTip = commitFile(ann, 'a.txt', 'a\n', 'ann');
    expect(await branchCopies(ann, 'stage-1', annTip, newer)).toMatchObject({ ok: true, value: { relation: 'diverged' } });
    expect(await branchCopies(ann, 'stage-1', newer, remoteTip)).toMatchObject({ ok: true, value: { relation: 'local-ahead' } });
    expect(await branchCopies(ann, 'stage-1', annTip, undefined)).toMatchObject({ ok: true, value: { relation: 'local-only' } });
  });
});

describe('pushing, never forced', () => {
  it('refuses to overwrite a remote branch that moved, and leaves the remote as it was', async () => {
    const { bare, ann, bob } = team();
    commitFile(bob, 'b.txt', 'b\n', 'bob on main');
    expect((await pushBranch(bob, 'origin', 'main')).ok).toBe(true);
    const remoteMain = git(bare, ['rev-parse', 'main']).trim();
    commitFile(ann, 'a.txt', 'a\n', 'ann on main');
    const refused = await pushBranch(ann, 'origin', 'main');
    expect(refused).toMatchObject({ ok: false, kind: 'refused', message: 'origin refused branch main: its copy has commits this one lacks' });
    expect(git(bare, ['rev-parse', 'main']).trim()).toBe(remoteMain);
  });

  it("says what the remote's own rules said when a hook declines, not that the remote moved", async () => {
    const { bare, ann } = team();
    writeFileSync(join(bare, 'hooks', 'pre-receive'), '#!/bin/sh\necho "main is protected: open a pull request" >&2\nexit 1\n');
    chmodSync(join(bare, 'hooks', 'pre-receive'), 0o755);
    const remoteMain = git(bare, ['rev-parse', 'main']).trim();
    commitFile(ann, 'a.txt', 'a\n', 'ann on main');
    const refused = await pushBranch(ann, 'origin', 'main');
    expect(refused).toMatchObject({
      ok: false,
      kind: 'refused',
      message: 'origin refused branch main: pre-receive hook declined (it said: main is protected: open a pull request)',
    });
    expect(!refused.ok && refused.hint).toMatch(/^The remote's own rules said no .* Nothing was pushed\.$/);
    expect(git(bare, ['rev-parse', 'main']).trim()).toBe(remoteMain);
  });

  it('pushes a tag, and refuses one of the same name that points elsewhere', async () => {
    const { bare, ann, bob } = team();
    git(ann, ['tag', 'stage-1-proof']);
    expect((await pushTag(ann, 'origin', 'stage-1-proof')).ok).toBe(true);
    expect(git(bare, ['rev-parse', 'stage-1-proof']).trim()).toBe(head(ann));
    commitFile(bob, 'b.txt', 'b\n', 'bob');
    git(bob, ['tag', 'stage-1-proof']);
    expect(await pushTag(bob, 'origin', 'stage-1-proof')).toMatchObject({
      ok: false,
      kind: 'refused',
      message: 'origin refused tag stage-1-proof: it already has one of that name that points elsewhere',
    });
    expect(git(bare, ['rev-parse', 'stage-1-proof']).trim()).toBe(head(ann));
  });

  it('deletes a remote branch only while it is the commit that was judged', async () => {
    const { bare, ann, bob } = team();
    git(ann, ['switch', '--quiet', '-c', 'stage-1']);
    const judged = commitFile(ann, 'a.txt', 'a\n', 'ann');
    await pushBranch(ann, 'origin', 'stage-1');
    git(bob, ['fetch', '--quiet', 'origin']);
    git(bob, ['switch', '--quiet', 'stage-1']);
    commitFile(bob, 'b.txt', 'b\n', 'bob adds to stage 1');
    await pushBranch(bob, 'origin', 'stage-1');
    expect(await deleteRemoteBranch(ann, 'origin', 'stage-1', judged)).toMatchObject({
      ok: false,
      kind: 'refused',
      message: 'origin refused the deletion of branch stage-1: its copy has changed since it was judged',
    });
    expect(git(bare, ['rev-parse', '--verify', 'stage-1']).trim()).toBe(head(bob));
    expect(await deleteRemoteBranch(ann, 'origin', 'stage-1', head(bob))).toEqual({ ok: true, value: undefined });
    expect(git(bare, ['for-each-ref', 'refs/heads/stage-1']).trim()).toBe('');
  });
});

describe('pushRefusal', () => {
  it("reads the refused ref's line of a porcelain push, and nothing from a push that failed otherwise", () => {
    const stdout = 'To ../remote.git\n!\trefs/heads/main:refs/heads/main\t[remote rejected] (protected branch hook declined)\nDone\n';
    expect(pushRefusal(stdout, 'remote: GitLab: You are not allowed to push code to protected branches.\nerror: failed to push some refs\n')).toEqual({
      by: 'remote-rejected',
      reason: 'protected branch hook declined',
      remoteSaid: ['GitLab: You are not allowed to push code to protected branches.'],
    });
    expect(pushRefusal('!\trefs/heads/a:refs/heads/a\t[rejected] (fetch first)\n', '')).toEqual({ by: 'rejected', reason: 'fetch first', remoteSaid: [] });
    expect(pushRefusal('', 'fatal: could not read from remote repository.\n')).toBeUndefined();
  });
});

describe('branchCopiesOf', () => {
  it('reads every stage branch’s copies at once, local only without a remote', async () => {
    const { ann, bob } = team();
    git(bob, ['switch', '--quiet', '-c', 'stage-2']);
    commitFile(bob, 'b.txt', 'b\n', 'bob');
    await pushBranch(bob, 'origin', 'stage-2');
    git(ann, ['branch', 'stage-1']);
    await fetchRemote(ann, 'origin');
    const copies = await branchCopiesOf(ann, ['stage-1', 'stage-2', 'stage-3'], 'origin');
    expect(copies.ok && [...copies.value.values()].map((copy) => [copy.branch, copy.relation])).toEqual([
      ['stage-1', 'local-only'],
      ['stage-2', 'remote-only'],
      ['stage-3', 'none'],
    ]);
    const local = await branchCopiesOf(ann, ['stage-1', 'stage-2'], undefined);
    expect(local.ok && [...local.value.values()].map((copy) => copy.relation)).toEqual(['local-only', 'none']);
  });
});
