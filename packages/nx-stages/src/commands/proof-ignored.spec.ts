import { stage } from '../core/test-support/plan-data';
import { commitFile, git, useTempRepos } from '../git/test-support/temp-repo';
import { createStageRepo, fixturePlan, proveStage, startStage } from './test-support/stage-fixture';
import { verifyCommand } from './verify';

// A user's .gitignore that matches proof evidence once made proofs unverifiable for good:
// `proof` committed proof.json without the files it names.
describe('proof under a .gitignore that matches its evidence', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  useTempRepos();

  it('commits every evidence file and report, and the proof verifies', async () => {
    const root = createStageRepo();
    commitFile(root, '.gitignore', 'junit.xml\ncoverage/\nstage-proofs/**/reports\nevidence\n', 'the user ignores reports and evidence');
    const plan = fixturePlan([stage('1')], {}, ['test', 'coverage', 'proof']);
    const worktree = await startStage(root, plan, '1');
    await proveStage(root, plan, plan.stages[0]);
    const committed = git(worktree, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n');
    expect(committed).toEqual(
      expect.arrayContaining(['stage-proofs/stage-1/proof.json', 'stage-proofs/stage-1/evidence/test-2-junit.xml', 'stage-proofs/stage-1/reports/gate-1-test.txt']),
    );
    expect(git(worktree, ['status', '--porcelain', '--ignored', '--', 'stage-proofs']).trim()).toBe('');
    expect(await verifyCommand(root, plan, plan.stages[0], {})).toMatchObject({ ok: true, data: { valid: true } });
  });
});
