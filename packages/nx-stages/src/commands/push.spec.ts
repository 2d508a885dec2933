import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stage } from '../core/test-support/plan-data';
import { teamRemote } from '../git/test-support/team-repos';
import { commitFile, git, head, useTempRepos } from '../git/test-support/temp-repo';
import { cleanStagesCommand } from './clean';
import { mergeStageCommand } from './merge';
import { writeProofCommand } from './proof';
import { rendered } from './test-support/rendered';
import { createStageRepo, fixturePlan, proveStage, startStage } from './test-support/stage-fixture';
import { runGatesCommand } from './gates';
import { worktreeCommand } from './worktree';

// --push on real bare remotes: Ann and Bob clone one remote; what Ann pushes, the remote has.
describe('--push: worktree, proof, merge and clean publish what they change, never forced', () => {
  useTempRepos();
  jest.setTimeout(120_000);
  const plan = fixturePlan([stage('1', { name: 'Alpha' }), stage('2', { name: 'Beta' })]);
  const [one] = plan.stages;

  /** A remote holding the stage fixture's repository, and Ann's and Bob's clones of it. */
  function team() {
    const { bare, clone } = teamRemote(createStageRepo());
    return { bare, ann: clone('ann'), bob: clone('bob') };
  }
  const tipOn = (bare: string, ref: string) => git(bare, ['for-each-ref', '--format=%(objectname)', ref]).trim();
  const remoteRefs = (bare: string) => git(bare, ['for-each-ref', '--format=%(refname) %(objectname)']);
  /** The report's last line, the merge commit's short id replaced. */
  const lastLineOf = (outcome: Parameters<typeof rendered>[0]) =>
    rendered(outcome)
      .stdout.split('\n')
      .at(-1)!
      .replace(/\([0-9a-f]{7}\)/, '(<merge>)');

  it('worktree --push publishes the new branch with upstream', async () => {
    const { bare, ann } = team();
    const made = await worktreeCommand(ann, plan, '1', { dependencies: 'none', push: true }, () => undefined);
    expect(made).toMatchObject({ ok: true, data: { branch: 'stage-1', pushed: 'origin' } });
    expect(tipOn(bare, 'refs/heads/stage-1')).toBe(head(made.data!.path));
    expect(git(ann, ['config', 'branch.stage-1.remote']).trim()).toBe('origin');
    expect(git(ann, ['config', 'branch.stage-1.merge']).trim()).toBe('refs/heads/stage-1');
  });

  it('proof --push pushes the branch and the tag, and says so', async () => {
    const { bare, ann } = team();
    const worktree = await startStage(ann, plan, '1');
    expect((await runGatesCommand(ann, plan, one)).ok).toBe(true);
    const proved = await writeProofCommand(ann, plan, one, { review: 'Reviewed.', push: true });
    expect(proved.ok).toBe(true);
    expect(proved.text.split('\n').slice(-2, -1)).toEqual(['✔ Pushed stage-1 and tag stage-1-complete to origin']);
    expect(tipOn(bare, 'refs/heads/stage-1')).toBe(head(worktree));
    expect(git(bare, ['rev-parse', 'stage-1-complete^{commit}']).trim()).toBe(head(worktree));
  });

  it('a second proof after a fix pushes the branch and leaves the earlier tag on the remote, saying so', async () => {
    const { bare, ann } = team();
    const worktree = await startStage(ann, plan, '1');
    expect((await runGatesCommand(ann, plan, one)).ok).toBe(true);
    expect((await writeProofCommand(ann, plan, one, { review: 'Reviewed.', push: true })).ok).toBe(true);
    const firstProof = head(worktree);
    commitFile(worktree, 'fix.txt', 'fixed\n', 'a fix after review');
    expect((await runGatesCommand(ann, plan, one)).ok).toBe(true);
    const again = await writeProofCommand(ann, plan, one, { review: 'Reviewed again.', push: true });
    expect(again.ok).toBe(true);
    expect(again.text).toContain("! origin's tag stage-1-complete still names an earlier proof: a push never moves a tag.");
    expect(tipOn(bare, 'refs/heads/stage-1')).toBe(head(worktree));
    expect(git(bare, ['rev-parse', 'stage-1-complete^{commit}']).trim()).toBe(firstProof);
  });

  it("proof --push refuses to overwrite a teammate's commits on the remote branch, naming the branch and git pull", async () => {
    const { bare, ann, bob } = team();
    const worktree = await startStage(ann, plan, '1');
    git(worktree, ['push', '--quiet', 'origin', 'stage-1']);
    git(bob, ['fetch', '--quiet', 'origin']);
    git(bob, ['switch', '--quiet', 'stage-1']);
    commitFile(bob, 'bob.txt', 'bob\n', 'bob on stage 1');
    git(bob, ['push', '--quiet', 'origin', 'stage-1']);
    const before = remoteRefs(bare);
    expect((await runGatesCommand(ann, plan, one)).ok).toBe(true);
    const proved = await writeProofCommand(ann, plan, one, { review: 'Reviewed.', push: true });
    expect(proved).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(rendered(proved).stdout.split('\n').at(-1)).toMatchInlineSnapshot(
      `"✖ The proof of stage 1 is committed on stage-1, but origin refused stage-1: origin/stage-1 has commits your stage-1 lacks, and a push never overwrites them. Run \`git pull origin stage-1\` in the checkout of stage-1, then push again (git push origin stage-1); nothing was pushed."`,
    );
    expect(remoteRefs(bare)).toBe(before);
  });

  it('merge --push pushes the base after the merge; merged already and pushed: nothing to push', async () => {
    const { bare, ann, bob } = team();
    await startStage(ann, plan, '1');
    await proveStage(ann, plan, one);
    const merged = await mergeStageCommand(ann, plan, one, { push: true });
    expect(merged).toMatchObject({ ok: true, data: { result: 'merged', pushed: 'origin' } });
    expect(merged.text.split('\n').at(-1)).toBe('✔ Pushed main to origin');
    expect(tipOn(bare, 'refs/heads/main')).toBe(head(ann));
    const again = await mergeStageCommand(ann, plan, one, { push: true });
    expect(again).toMatchObject({ ok: true, data: { result: 'already-merged' } });
    expect(again.text.split('\n').at(-1)).toBe('✔ origin/main already has it: nothing to push');
    git(bob, ['pull', '--quiet', 'origin', 'main']);
    expect(head(bob)).toBe(head(ann));
  });

  it('merge --push refuses up front when the local base is behind the remote one: nothing merged, nothing pushed', async () => {
    const { bare, ann, bob } = team();
    await startStage(ann, plan, '1');
    await proveStage(ann, plan, one);
    commitFile(bob, 'bob.txt', 'bob\n', "bob's fix on main");
    git(bob, ['push', '--quiet', 'origin', 'main']);
    const [annBefore, remoteBefore] = [head(ann), remoteRefs(bare)];
    const refused = await mergeStageCommand(ann, plan, one, { push: true });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(rendered(refused).stderr).toMatchInlineSnapshot(
      `"Merge of stage 1 refused: your main is behind origin/main (someone pushed to it); nothing was merged. Pull it first (\`git pull --no-rebase origin main\` in the checkout of main), then merge again."`,
    );
    expect([head(ann), remoteBefore]).toEqual([annBefore, remoteRefs(bare)]);
  });

  it('merge --push whose push is refused (the remote base moved during the merge) keeps the local merge, leaves the remote as it was and says what to do', async () => {
    const { bare, ann, bob } = team();
    await startStage(ann, plan, '1');
    await proveStage(ann, plan, one);
    // Bob pushes to main while Ann merges: her post-merge hook is the moment between her fetch and her push.
    const hook = join(ann, '.git', 'hooks', 'post-merge');
    writeFileSync(
      hook,
      `#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\ncd '${bob}' && echo bob > bob.txt && git add bob.txt && git commit --quiet -m 'bob meanwhile' && git push --quiet origin main\n`,
    );
    chmodSync(hook, 0o755);
    const refused = await mergeStageCommand(ann, plan, one, { push: true });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'refused' }, data: { result: 'merged' } });
    expect(lastLineOf(refused)).toMatchInlineSnapshot(
      `"✖ Stage 1 is merged into your main (<merge>), but origin refused main: origin/main moved since the merge began, so the merge would need redoing; origin is as it was. Your main keeps the merge; nothing was pushed. Pull the remote's main into it (\`git pull --no-rebase origin main\` in the checkout of main), run verify again (\`nx run stage-1:verify\`), then push it (\`git push origin main\`)."`,
    );
    expect(tipOn(bare, 'refs/heads/main')).toBe(head(bob));
    expect(git(ann, ['log', '-1', '--format=%s']).trim()).toBe('Merge Stage 1: Alpha');
  });

  it("merge --push refused by the remote's own rules keeps the local merge, says what the remote said, and does not fetch and try again", async () => {
    const { bare, ann } = team();
    await startStage(ann, plan, '1');
    await proveStage(ann, plan, one);
    const tries = join(bare, 'tries');
    writeFileSync(join(bare, 'hooks', 'pre-receive'), `#!/bin/sh\necho try >> '${tries}'\necho "main is protected: merge through a pull request" >&2\nexit 1\n`);
    chmodSync(join(bare, 'hooks', 'pre-receive'), 0o755);
    const remoteBefore = remoteRefs(bare);
    const refused = await mergeStageCommand(ann, plan, one, { push: true });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'refused' }, data: { result: 'merged' } });
    expect(lastLineOf(refused)).toMatchInlineSnapshot(
      `"✖ Stage 1 is merged into your main (<merge>), but origin refused branch main: pre-receive hook declined (it said: main is protected: merge through a pull request). Your main keeps the merge. The remote's own rules said no (a protected branch, a hook, permissions): ask whoever runs it, or merge through a pull request. Nothing was pushed."`,
    );
    expect(readFileSync(tries, 'utf8')).toBe('try\n');
    expect(remoteRefs(bare)).toBe(remoteBefore);
    expect(git(ann, ['log', '-1', '--format=%s']).trim()).toBe('Merge Stage 1: Alpha');
  });

  it("proof --push refused by the remote's own rules says what the remote said, not that a teammate pushed", async () => {
    const { bare, ann } = team();
    await startStage(ann, plan, '1');
    expect((await runGatesCommand(ann, plan, one)).ok).toBe(true);
    writeFileSync(join(bare, 'hooks', 'pre-receive'), '#!/bin/sh\necho "pushes are closed for the release" >&2\nexit 1\n');
    chmodSync(join(bare, 'hooks', 'pre-receive'), 0o755);
    const proved = await writeProofCommand(ann, plan, one, { review: 'Reviewed.', push: true });
    expect(proved).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(rendered(proved).stdout.split('\n').at(-1)).toMatch(
      /origin refused branch stage-1: pre-receive hook declined \(it said: pushes are closed for the release\)\. The remote's own rules said no/,
    );
    expect(rendered(proved).stdout).not.toMatch(/git pull/);
  });

  it("clean --push deletes only merged stages' remote branches, and only at the commit judged merged", async () => {
    const { bare, ann } = team();
    const first = await startStage(ann, plan, '1');
    await proveStage(ann, plan, one);
    const second = await startStage(ann, plan, '2', { passed: 4 }, { 'beta.txt': 'beta\n' });
    git(first, ['push', '--quiet', 'origin', 'stage-1']);
    git(second, ['push', '--quiet', 'origin', 'stage-2']);
    expect((await mergeStageCommand(ann, plan, one, { push: true })).ok).toBe(true);
    const cleaned = await cleanStagesCommand(ann, plan, { push: true });
    expect(cleaned.ok).toBe(true);
    expect(cleaned.data!.stages).toEqual([
      { id: '1', action: 'removed', worktree: '../ann-stage-1', remoteBranch: 'origin/stage-1' },
      { id: '2', action: 'kept', reason: 'not merged into main', blocked: false },
    ]);
    expect(cleaned.text).toContain('    deleted remote branch origin/stage-1');
    expect(tipOn(bare, 'refs/heads/stage-1')).toBe('');
    expect(tipOn(bare, 'refs/heads/stage-2')).toBe(head(second));
    expect(existsSync(first)).toBe(false);
  });

  it("clean --push keeps a merged stage's remote branch that got a teammate's commit since (its worktree goes)", async () => {
    const { bare, ann, bob } = team();
    const first = await startStage(ann, plan, '1');
    await proveStage(ann, plan, one);
    git(first, ['push', '--quiet', 'origin', 'stage-1']);
    expect((await mergeStageCommand(ann, plan, one, { push: true })).ok).toBe(true);
    git(bob, ['fetch', '--quiet', 'origin']);
    git(bob, ['switch', '--quiet', 'stage-1']);
    commitFile(bob, 'bob.txt', 'bob\n', 'bob on stage 1');
    git(bob, ['push', '--quiet', 'origin', 'stage-1']);
    const kept = await cleanStagesCommand(ann, plan, { push: true });
    expect(kept.data!.stages).toEqual([
      {
        id: '1',
        action: 'removed',
        worktree: '../ann-stage-1',
        remoteKept: 'origin/stage-1 has commits not merged into origin/main (someone pushed to it since); nothing was deleted there',
      },
    ]);
    expect(tipOn(bare, 'refs/heads/stage-1')).toBe(head(bob));
  });

  it('refuses --push with remote: none, or with no remote at all, naming stages.yaml, before changing anything', async () => {
    const { bare, ann } = team();
    const before = remoteRefs(bare);
    const none = fixturePlan(plan.stages);
    none.settings.remote = 'none';
    const worktree = await worktreeCommand(ann, none, '1', { dependencies: 'none', push: true }, () => undefined);
    expect(worktree).toMatchObject({ ok: false, failure: { kind: 'invalid-input' } });
    expect(rendered(worktree).stderr).toMatchInlineSnapshot(
      `"--push was given, but there is nothing to push to: stages/stages.yaml sets remote: none; nothing was changed. Set remote: in stages/stages.yaml to an existing remote (git remote -v lists them), or run without --push (--no-push)."`,
    );
    expect(git(ann, ['branch', '--list', 'stage-1']).trim()).toBe('');
    expect(remoteRefs(bare)).toBe(before);

    const alone = createStageRepo();
    const settingOn = fixturePlan(plan.stages);
    settingOn.settings.push = true;
    const cleaned = await cleanStagesCommand(alone, settingOn);
    expect(cleaned).toMatchObject({
      ok: false,
      failure: { kind: 'invalid-input', message: expect.stringMatching(/^stages\/stages.yaml sets push: true, but there is nothing to push to: .* has no remote named origin/) },
    });
    // The flag wins over the setting.
    expect((await cleanStagesCommand(alone, settingOn, { push: false })).ok).toBe(true);
    const merge = await mergeStageCommand(alone, settingOn, one);
    expect(merge).toMatchObject({ ok: false, failure: { kind: 'invalid-input' } });
  });
});
