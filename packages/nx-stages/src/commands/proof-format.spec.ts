import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stage } from '../core/test-support/plan-data';
import { git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { verifyCommand } from './verify';
import { createStageRepo, fixturePlan, proveStage, startStage } from './test-support/stage-fixture';

/**
 * A proof is checked by the rules of the format it was written in, for good: a repository with a
 * stage proven by nx-stages 0.2 (proof format 2) is kept as a git bundle, and must keep verifying
 * whatever later releases change in wording or layout. `MAKE_PROOF_FIXTURE=1` writes it anew
 * (only when the format itself changes: then add a new bundle beside this one, keep the old).
 */
const BUNDLE = join(__dirname, 'fixtures', 'proof-format-2.bundle');
const plan = () => fixturePlan([stage('1', { name: 'First stage', deliverables: ['A thing'] }), stage('2', { dependsOn: ['1'] })]);

describe('proofs of earlier releases', () => {
  useTempRepos();
  jest.setTimeout(60_000);

  (process.env.MAKE_PROOF_FIXTURE ? it : it.skip)('writes the format 2 fixture', async () => {
    const root = createStageRepo();
    const worktree = await startStage(root, plan(), '1');
    await proveStage(root, plan(), plan().stages[0]);
    git(worktree, ['bundle', 'create', BUNDLE, '--all']);
  });

  it('a format 2 proof made by nx-stages 0.2 still verifies', async () => {
    expect(existsSync(BUNDLE)).toBe(true);
    const root = join(makeTempDir(), 'app');
    git(makeTempDir(), ['clone', '--quiet', BUNDLE, root]);
    git(root, ['checkout', '--quiet', '-B', 'main', 'origin/main']);
    git(root, ['branch', '--quiet', '--force', 'stage-1', 'origin/stage-1']);
    const verified = await verifyCommand(root, plan(), plan().stages[0]);
    expect(verified).toMatchObject({ ok: true, data: { stage: '1', branch: 'stage-1', valid: true, problems: [] } });
    // The proof of the bundle is fixed: its success line is too.
    expect(verified.text).toMatchSnapshot();
  });
});
