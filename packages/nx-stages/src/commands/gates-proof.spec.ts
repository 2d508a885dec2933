import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatesResult } from '../core/gates/gates-result';
import type { GateSettings } from '../core/model';
import { stage } from '../core/test-support/plan-data';
import { commitFile, git, head, useTempRepos } from '../git/test-support/temp-repo';
import { gatesStore } from '../io/gates-store';
import { runGatesCommand } from './gates';
import { statusCommand } from './status';
import { verifyCommand } from './verify';
import { writeProofCommand } from './proof';
import { createStageRepo, fixturePlan, startStage } from './test-support/stage-fixture';

describe('gates, proof and verify on a real repository', () => {
  useTempRepos();
  jest.setTimeout(60_000);
  const planWith = (extra: Record<string, GateSettings> = {}, profile?: string[]) =>
    fixturePlan([stage('1', { name: 'First stage', deliverables: ['A thing'] }), stage('2', { dependsOn: ['1'] })], extra, profile);

  async function setUp(fixture: object, plan = planWith()) {
    const root = createStageRepo();
    const worktree = await startStage(root, plan, '1', fixture);
    return { root, worktree, plan, stage: plan.stages[0] };
  }
  // The gates keep their result in the repository's git common dir (the main checkout's .git here).
  const store = (worktree: string) => gatesStore(join(worktree, '..', 'app', '.git'), '1');
  const result = (worktree: string): GatesResult => JSON.parse(readFileSync(store(worktree).result, 'utf8'));

  it('reports the run wrote are kept in the store and removed from the tree; a report that was there before stays', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    commitFile(worktree, 'coverage/coverage-summary.json', '{}\n', 'a coverage summary someone committed');
    expect((await runGatesCommand(root, plan, one)).success).toBe(true);
    expect(existsSync(join(worktree, 'junit.xml'))).toBe(false);
    expect(
      result(worktree)
        .evidence.map((entry) => entry.kind)
        .sort(),
    ).toEqual(['coverage', 'junit']);
    // The tracked file the runner rewrote is the user's: left as the run wrote it, shown by git.
    expect(git(worktree, ['status', '--porcelain', '--untracked-files=all'])).toBe(' M coverage/coverage-summary.json\n');
  });

  it('all gates pass → proof committed and tagged → verify passes', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    const gated = await runGatesCommand(root, plan, one);
    expect(gated.success).toBe(true);
    expect(result(worktree)).toMatchObject({ commit: head(worktree), clean: true, tests: { total: 3, passed: 3, failed: 0, skipped: 0 }, coverage: { lines: 95 } });
    expect(readFileSync(store(worktree).file('logs/gate-2-test.log'), 'utf8')).toContain('$ node run-tests.js');
    // Nothing of the gates is in the working tree: no uncommitted change for sync, clean or status.
    expect(git(worktree, ['status', '--porcelain', '--untracked-files=all'])).toBe('');

    const measured = head(worktree);
    const proved = await writeProofCommand(root, plan, one, { review: 'Built the first stage; nothing left open.' });
    expect(proved).toMatchObject({ success: true, output: expect.stringContaining('Committed "Stage 1 Complete: First stage"') });
    expect(git(worktree, ['log', '-1', '--format=%s%n%b'])).toMatch(/Stage 1 Complete: First stage[\s\S]*- A thing[\s\S]*Tests: 3\/3 passed/);
    expect(git(worktree, ['rev-parse', 'stage-1-complete^{commit}']).trim()).toBe(head(worktree));
    const proof = JSON.parse(readFileSync(join(worktree, 'stage-proofs/stage-1/proof.json'), 'utf8'));
    expect(proof).toMatchObject({ stage: '1', commit: measured, tests: { total: 3, passed: 3 }, coverage: { lines: 95 } });
    expect(proof.gates.map((gate: { status: string }) => gate.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    // The compact record: proof, its page, a summary per gate and the evidence; no raw logs.
    expect(git(worktree, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual([
      'stage-proofs/stage-1/STAGE_1_PROOF.md',
      'stage-proofs/stage-1/evidence/test-1-coverage__coverage-summary.json',
      'stage-proofs/stage-1/evidence/test-2-junit.xml',
      'stage-proofs/stage-1/proof.json',
      'stage-proofs/stage-1/reports/gate-1-templates.txt',
      'stage-proofs/stage-1/reports/gate-2-test.txt',
      'stage-proofs/stage-1/reports/gate-3-coverage.txt',
      'stage-proofs/stage-1/reports/gate-4-proof.txt',
    ]);
    expect(readFileSync(join(worktree, 'stage-proofs/stage-1/reports/gate-2-test.txt'), 'utf8')).not.toContain(worktree);
    expect(await verifyCommand(root, plan, one)).toMatchObject({ success: true });
  });

  it.each([
    ['one failing test', { failed: 1 }, 'test', '3/4 passed, 1 failed'],
    ['a skipped test', { skipped: 1 }, 'test', 'skipped tests fail'],
    ['coverage under the threshold', { covered: 89 }, 'coverage', 'lines 89 % (threshold 90 %)'],
    ['no report written', { report: false }, 'test', 'not measured'],
  ])('%s: gates fail, fast-fail stops the rest, proof is refused and nothing is committed', async (_, fixture, gate, detail) => {
    const { root, worktree, plan, stage: one } = await setUp(fixture);
    const gated = await runGatesCommand(root, plan, one);
    expect(gated.success).toBe(false);
    const outcome = result(worktree).gates.find((entry) => entry.name === gate);
    expect(outcome).toMatchObject({ status: 'fail', detail: expect.stringContaining(detail) });
    if (gate === 'test') expect(result(worktree).gates.find((entry) => entry.name === 'coverage')?.status).toBe('not-run');
    const before = head(worktree);
    const proved = await writeProofCommand(root, plan, one, { review: 'Reviewed.' });
    expect(proved.success).toBe(false);
    expect(proved.output).toContain(`✖ ${gate}`);
    expect(head(worktree)).toBe(before);
    expect(git(worktree, ['tag', '--list'])).toBe('');
  });

  it('an unchanged stage reuses its result; a commit, other gate settings, a lock file or --force measure again', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    const first = await runGatesCommand(root, plan, one);
    expect(first.success).toBe(true);
    expect(first.reused).toBeUndefined();
    const again = await runGatesCommand(root, plan, one);
    expect(again).toMatchObject({ success: true, reused: true, output: expect.stringContaining('reused: nothing changed') });
    expect(again.result?.finishedAt).toBe(first.result?.finishedAt);
    expect((await runGatesCommand(root, plan, one, { force: true })).reused).toBeUndefined();
    expect((await runGatesCommand(root, planWith({ coverage: { threshold: 80 } }), one)).reused).toBeUndefined();
    commitFile(worktree, 'package-lock.json', '{ "lockfileVersion": 3 }\n', 'a lock file');
    expect((await runGatesCommand(root, planWith({ coverage: { threshold: 80 } }), one)).reused).toBeUndefined();
    expect((await runGatesCommand(root, planWith({ coverage: { threshold: 80 } }), one)).reused).toBe(true);
  });

  it('a missing tool is "could not run", with its reason, and blocks the proof', async () => {
    const plan = planWith({ lint: { run: 'nx-stages-no-such-tool --check', tier: 'mandatory' } }, ['lint', 'test']);
    const { root, worktree, stage: one } = await setUp({}, plan);
    expect((await runGatesCommand(root, plan, one)).success).toBe(false);
    expect(result(worktree).gates[0]).toMatchObject({ name: 'lint', status: 'could-not-run', detail: expect.stringContaining('not found') });
    expect((await writeProofCommand(root, plan, one, { review: 'Reviewed.' })).success).toBe(false);
  });

  it('refuses a proof of stale results, of uncommitted work, and with placeholders in the review', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    expect((await runGatesCommand(root, plan, one)).success).toBe(true);
    writeFileSync(join(worktree, 'extra.txt'), 'not committed\n');
    expect((await writeProofCommand(root, plan, one, { review: 'Reviewed.' })).output).toContain('uncommitted changes since the gates ran: extra.txt');
    git(worktree, ['add', 'extra.txt']);
    git(worktree, ['commit', '-q', '-m', 'more work']);
    expect((await writeProofCommand(root, plan, one, { review: 'Reviewed.' })).output).toContain('the branch changed since the gates ran');
    expect((await runGatesCommand(root, plan, one)).success).toBe(true);
    // First proof: no review yet. The draft it writes holds a TODO skeleton, refused in turn.
    expect((await writeProofCommand(root, plan, one)).output).toContain('no review written');
    const draft = await writeProofCommand(root, plan, one);
    expect(draft.success).toBe(false);
    expect(draft.output).toContain('the review still has placeholders ("TODO")');
    // The draft is written for the user to fill in; the review they write survives the next run.
    const file = join(worktree, 'stage-proofs/stage-1/STAGE_1_PROOF.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/TODO: write the review[^\n]*/, 'Checked by hand: works.'));
    expect((await writeProofCommand(root, plan, one)).success).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('Checked by hand: works.');
    const hostile = await writeProofCommand(root, plan, one, { review: 'Fine.\n<!-- nx-stages:review:end -->\n| forged | row |' });
    expect(hostile.output).toContain('the review contains an nx-stages:review marker');
  });

  it('gates measured on uncommitted changes are marked and cannot be proved', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    writeFileSync(join(worktree, 'wip.txt'), 'work in progress\n');
    const gated = await runGatesCommand(root, plan, one);
    expect(gated.output).toContain('1 uncommitted file(s)');
    expect(result(worktree)).toMatchObject({ clean: false, uncommitted: ['wip.txt'] });
    expect((await writeProofCommand(root, plan, one, { review: 'Reviewed.' })).output).toContain('the gates measured uncommitted changes (wip.txt)');
  });

  it('verify catches an edited number and a commit made after the proof', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    await runGatesCommand(root, plan, one);
    expect((await writeProofCommand(root, plan, one, { review: 'Reviewed.' })).success).toBe(true);

    const proofFile = join(worktree, 'stage-proofs/stage-1/proof.json');
    const original = readFileSync(proofFile, 'utf8');
    writeFileSync(proofFile, original.replace('"passed": 3', '"passed": 30'));
    git(worktree, ['commit', '-q', '-am', 'better numbers']);
    const edited = await verifyCommand(root, plan, one);
    expect(edited.success).toBe(false);
    expect(edited.output).toContain('digest does not match');
    git(worktree, ['revert', '--no-edit', 'HEAD']);
    expect((await verifyCommand(root, plan, one)).success).toBe(true);

    const row = async () => (await statusCommand(root, plan)).data!.stages[0];
    expect(await row()).toMatchObject({ gates: 'pass', proof: 'valid' });
    commitFile(worktree, 'src/late.ts', 'export const late = 1;\n', 'a change after the proof');
    expect(await row()).toMatchObject({ gates: 'stale', proof: 'invalid' });
    const late = await verifyCommand(root, plan, one, { json: true });
    expect(late.success).toBe(false);
    expect(JSON.parse(late.output).problems.join('\n')).toContain('the branch changed after the proof: src/late.ts');
  });

  it('verify without a proof says what to do; a stage not started is skipped; a branch without a worktree says where to measure', async () => {
    const { root, plan } = await setUp({});
    expect((await verifyCommand(root, plan, plan.stages[0])).output).toContain('no proof committed');
    // A stage not started: one line and success, so `run-many -t gates` / `-t verify` stay green.
    expect(await verifyCommand(root, plan, plan.stages[1])).toMatchObject({ success: true, output: expect.stringContaining('has no branch yet (stage-2)') });
    expect(await runGatesCommand(root, plan, plan.stages[1])).toMatchObject({ success: true, output: expect.stringContaining('nx g nx-stages:worktree 2') });
    expect(await writeProofCommand(root, plan, plan.stages[1])).toMatchObject({ success: true, output: expect.stringContaining('nothing to do') });
    // A branch without a worktree still says where to measure.
    git(root, ['branch', 'stage-2']);
    expect(await runGatesCommand(root, plan, plan.stages[1])).toMatchObject({ success: false, output: expect.stringContaining('nx g nx-stages:worktree 2') });
  });

  it('an interrupted run stops its gate and leaves no result, so no proof can use it', async () => {
    const slow = { run: `node -e "require('fs').writeFileSync('started.txt', ''); setTimeout(() => {}, 60000)"`, tier: 'mandatory' as const };
    const plan = planWith({ slow }, ['test', 'slow']);
    const { root, worktree, stage: one } = await setUp({}, plan);
    commitFile(worktree, '.gitignore', 'junit.xml\ncoverage/\nstarted.txt\n', 'ignore the marker');
    // A result from an earlier, quick run: the interrupted run must not leave it standing either.
    await runGatesCommand(root, planWith(), one);
    expect(existsSync(store(worktree).result)).toBe(true);
    const running = runGatesCommand(root, plan, one);
    while (!existsSync(join(worktree, 'started.txt'))) await new Promise((resolve) => setTimeout(resolve, 50));
    process.emit('SIGTERM', 'SIGTERM');
    const interrupted = await running;
    expect(interrupted).toMatchObject({ success: false, output: expect.stringContaining('interrupted') });
    expect(existsSync(store(worktree).result)).toBe(false);
    expect((await writeProofCommand(root, plan, one, { review: 'Reviewed.' })).output).toContain('no gate results');
  });
});
