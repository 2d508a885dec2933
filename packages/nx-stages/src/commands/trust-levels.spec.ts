import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Plan } from '../core/model';
import { stage } from '../core/test-support/plan-data';
import { commitFile, git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { mergeStageCommand } from './merge';
import { verifyCommand } from './verify';
import { createStageRepo, fixturePlan, proveStage, RUNNER, startStage } from './test-support/stage-fixture';

/** The fixture plan held to a trust level. */
function trusted(trust: Plan['settings']['proofs']['trust'], allowedSigners?: string): Plan {
  const plan = fixturePlan([stage('1', { name: 'First stage' })]);
  plan.settings.proofs = { trust, ...(allowedSigners ? { allowedSigners } : {}) };
  return plan;
}

/** An ssh key made here, and an allowed-signers line for it (git's format: principal, key). */
function sshKey(dir: string, name: string): { key: string; line: string } {
  const key = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  const publicKey = execFileSync('cat', [`${key}.pub`], { encoding: 'utf8' })
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
  return { key, line: `e2e@example.com ${publicKey}` };
}

describe('proof trust levels on a real repository', () => {
  useTempRepos();
  jest.setTimeout(90_000);

  it('signed: a proof committed with an allowed ssh key merges; unsigned or unknown keys are refused', async () => {
    const root = createStageRepo();
    const keys = makeTempDir();
    const allowed = sshKey(keys, 'allowed');
    const stranger = sshKey(keys, 'stranger');
    commitFile(root, 'allowed_signers', `${allowed.line}\n`, 'who may sign proofs');
    const plan = trusted('signed', 'allowed_signers');
    const worktree = await startStage(root, plan, '1');
    git(worktree, ['config', 'gpg.format', 'ssh']);

    // No key: the commit cannot be signed, so the proof is not committed.
    await proveStage(root, trusted('checksum'), plan.stages[0]);
    const unsigned = await verifyCommand(root, plan, plan.stages[0]);
    expect(unsigned).toMatchObject({ ok: false, failure: { kind: 'refused' }, data: { valid: false, problems: [expect.stringContaining('has no good signature')] } });
    expect(await verifyCommand(root, trusted('checksum'), plan.stages[0])).toMatchObject({ ok: true });

    git(worktree, ['config', 'user.signingkey', stranger.key]);
    commitFile(worktree, 'notes.md', 'more\n', 'more work');
    await proveStage(root, plan, plan.stages[0]);
    expect(git(worktree, ['log', '-1', '--format=%G?'])).not.toBe('N');
    expect((await verifyCommand(root, plan, plan.stages[0])).failure?.message).toContain('has no good signature');

    git(worktree, ['config', 'user.signingkey', allowed.key]);
    commitFile(worktree, 'notes.md', 'more again\n', 'more work');
    await proveStage(root, plan, plan.stages[0]);
    expect(await verifyCommand(root, plan, plan.stages[0])).toMatchObject({ ok: true, data: { valid: true } });
    expect(await mergeStageCommand(root, plan, plan.stages[0])).toMatchObject({ ok: true });
  });

  it('remeasured: a proof whose result depended on the measuring shell is refused when measured again', async () => {
    const root = createStageRepo();
    const plan = trusted('remeasured');
    // The runner fails one test unless LUCKY is set: a pass only that shell could produce.
    await startStage(
      root,
      plan,
      '1',
      {},
      {
        'run-tests.js': `${RUNNER.replace("const f = JSON.parse(fs.readFileSync('fixture.json', 'utf8'));", "const f = JSON.parse(fs.readFileSync('fixture.json', 'utf8'));\nif (!process.env.LUCKY) { f.failed = 1; f.passed -= 1; }")}`,
      },
    );
    process.env.LUCKY = '1';
    try {
      await proveStage(root, trusted('checksum'), plan.stages[0]);
    } finally {
      delete process.env.LUCKY;
    }
    expect(await verifyCommand(root, trusted('checksum'), plan.stages[0])).toMatchObject({ ok: true });
    const again = await verifyCommand(root, plan, plan.stages[0]);
    expect(again).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(again.data).toMatchObject({ valid: false, problems: expect.arrayContaining(['test: the proof says pass, measured again it is fail.']) });
    expect(await mergeStageCommand(root, plan, plan.stages[0])).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    // The throwaway worktree is gone, and the stage's own result is untouched.
    expect(git(root, ['worktree', 'list']).trim().split('\n')).toHaveLength(2);
  });
});
