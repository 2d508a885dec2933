import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GatesResult } from '../core/gates/gates-result';
import type { GateSettings } from '../core/model';
import { renderOutcome, type Outcome } from '../core/outcome';
import { stage } from '../core/test-support/plan-data';
import { commitFile, git, head, useTempRepos } from '../git/test-support/temp-repo';
import { gatesStore } from '../io/gates-store';
import { runGatesCommand } from './gates';
import { statusCommand } from './status';
import { verifyCommand } from './verify';
import { writeProofCommand } from './proof';
import { createStageRepo, fixturePlan, startStage } from './test-support/stage-fixture';

/** What a person reads of an outcome (stdout, then stderr), with what differs per run masked: the temp folder, commits, times. */
function shown(outcome: Outcome, root: string): string {
  const { stdout, stderr } = renderOutcome(outcome);
  return [stdout, stderr]
    .filter(Boolean)
    .join('\n')
    .replaceAll(dirname(root), '<tmp>')
    .replace(/\b[0-9a-f]{7,40}\b/g, '<sha>')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/g, '<when>')
    .replace(/\b\d+(\.\d+)? (ms|s)\b/g, '<time>');
}

const measuredAt = (outcome: Outcome) => (outcome.data as GatesResult | undefined)?.finishedAt;
const reused = (outcome: Outcome) => outcome.text.includes('reused: nothing changed');

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
    expect((await runGatesCommand(root, plan, one)).ok).toBe(true);
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
    expect(gated).toMatchObject({ ok: true, data: { stage: '1', commit: head(worktree), clean: true } });
    // The --json document is the result the gates stored.
    expect(gated.data).toEqual(result(worktree));
    expect(result(worktree)).toMatchObject({ commit: head(worktree), clean: true, tests: { total: 3, passed: 3, failed: 0, skipped: 0 }, coverage: { lines: 95 } });
    expect(shown(gated, root)).toMatchSnapshot('gates: all passed');
    expect(readFileSync(store(worktree).file('logs/gate-2-test.log'), 'utf8')).toContain('$ node run-tests.js');
    // Nothing of the gates is in the working tree: no uncommitted change for sync, clean or status.
    expect(git(worktree, ['status', '--porcelain', '--untracked-files=all'])).toBe('');

    const measured = head(worktree);
    const proved = await writeProofCommand(root, plan, one, { review: 'Built the first stage; nothing left open.' });
    expect(proved).toMatchObject({ ok: true, data: { stage: '1', commit: measured } });
    expect(shown(proved, root)).toMatchSnapshot('proof: committed and tagged');
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
    const verified = await verifyCommand(root, plan, one);
    expect(verified).toMatchObject({ ok: true, data: { stage: '1', branch: 'stage-1', head: head(worktree), valid: true, problems: [] } });
    expect(shown(verified, root)).toMatchSnapshot('verify: accepted');
  });

  it.each([
    ['one failing test', { failed: 1 }, 'test', '3/4 passed, 1 failed, 0 skipped; failing: bad 0'],
    ['a skipped test', { skipped: 1 }, 'test', 'skipped tests fail'],
    ['coverage under the threshold', { covered: 89 }, 'coverage', 'lines 89 % (threshold 90 %)'],
    ['no report written', { report: false }, 'test', 'not measured'],
  ])('%s: gates fail, fast-fail stops the rest, proof is refused and nothing is committed', async (_, fixture, gate, detail) => {
    const { root, worktree, plan, stage: one } = await setUp(fixture);
    const gated = await runGatesCommand(root, plan, one);
    expect(gated).toMatchObject({ ok: false, failure: { kind: 'failed' }, data: { stage: '1' } });
    // The summary is the document (stdout); a gate fast-fail stopped is never named as failed.
    expect(shown(gated, root)).toMatchSnapshot('gates summary');
    const outcome = result(worktree).gates.find((entry) => entry.name === gate);
    expect(outcome).toMatchObject({ status: 'fail', detail: expect.stringContaining(detail) });
    if (gate === 'test') expect(result(worktree).gates.find((entry) => entry.name === 'coverage')?.status).toBe('not-run');
    const before = head(worktree);
    const proved = await writeProofCommand(root, plan, one, { review: 'Reviewed.' });
    expect(proved).toMatchObject({ ok: false, failure: { kind: 'failed' } });
    expect(shown(proved, root)).toMatchSnapshot('proof refused');
    expect(head(worktree)).toBe(before);
    expect(git(worktree, ['tag', '--list'])).toBe('');
  });

  it('an unchanged stage reuses its result; a commit, other gate settings, a lock file or --force measure again', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    const first = await runGatesCommand(root, plan, one);
    expect(first.ok).toBe(true);
    expect(reused(first)).toBe(false);
    const again = await runGatesCommand(root, plan, one);
    expect(again).toMatchObject({ ok: true, data: { finishedAt: measuredAt(first) } });
    expect(shown(again, root)).toMatchSnapshot('gates: reused');
    const forced = await runGatesCommand(root, plan, one, { force: true });
    expect([reused(forced), measuredAt(forced) === measuredAt(first)]).toEqual([false, false]);
    expect(reused(await runGatesCommand(root, planWith({ coverage: { threshold: 80 } }), one))).toBe(false);
    commitFile(worktree, 'package-lock.json', '{ "lockfileVersion": 3 }\n', 'a lock file');
    expect(reused(await runGatesCommand(root, planWith({ coverage: { threshold: 80 } }), one))).toBe(false);
    expect(reused(await runGatesCommand(root, planWith({ coverage: { threshold: 80 } }), one))).toBe(true);
  });

  it('a missing tool is "could not run", with its reason, and blocks the proof', async () => {
    const plan = planWith({ lint: { run: 'nx-stages-no-such-tool --check', tier: 'mandatory' } }, ['lint', 'test']);
    const { root, worktree, stage: one } = await setUp({}, plan);
    expect(await runGatesCommand(root, plan, one)).toMatchObject({ ok: false, failure: { kind: 'failed', message: 'mandatory gates of stage 1 did not pass: lint' } });
    expect(result(worktree).gates[0]).toMatchObject({ name: 'lint', status: 'could-not-run', detail: expect.stringContaining('not found') });
    expect(await writeProofCommand(root, plan, one, { review: 'Reviewed.' })).toMatchObject({ ok: false, failure: { kind: 'failed' } });
  });

  it('refuses a proof of stale results, of uncommitted work, and with placeholders in the review', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    const refusals: string[] = [];
    const refused = async (review?: string) => {
      const proved = await writeProofCommand(root, plan, one, review === undefined ? {} : { review });
      expect(proved.ok).toBe(false);
      refusals.push(shown(proved, root));
      return proved.failure?.kind;
    };
    expect((await runGatesCommand(root, plan, one)).ok).toBe(true);
    writeFileSync(join(worktree, 'extra.txt'), 'not committed\n');
    expect(await refused('Reviewed.')).toBe('refused'); // uncommitted changes since the gates ran
    git(worktree, ['add', 'extra.txt']);
    git(worktree, ['commit', '-q', '-m', 'more work']);
    expect(await refused('Reviewed.')).toBe('refused'); // the branch changed since the gates ran
    expect((await runGatesCommand(root, plan, one)).ok).toBe(true);
    // First proof: no review yet. The draft it writes holds a TODO skeleton, refused in turn.
    expect(await refused()).toBe('failed');
    expect(await refused()).toBe('failed');
    // The draft is written for the user to fill in; the review they write survives the next run.
    const file = join(worktree, 'stage-proofs/stage-1/STAGE_1_PROOF.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/TODO: write the review[^\n]*/, 'Checked by hand: works.'));
    expect((await writeProofCommand(root, plan, one)).ok).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('Checked by hand: works.');
    expect(await refused('Fine.\n<!-- nx-stages:review:end -->\n| forged | row |')).toBe('failed');
    expect(refusals).toMatchSnapshot();
  });

  it('gates measured on uncommitted changes are marked and cannot be proved', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    writeFileSync(join(worktree, 'wip.txt'), 'work in progress\n');
    const gated = await runGatesCommand(root, plan, one);
    expect(gated).toMatchObject({ ok: true, data: { clean: false, uncommitted: ['wip.txt'] } });
    expect(result(worktree)).toMatchObject({ clean: false, uncommitted: ['wip.txt'] });
    const proved = await writeProofCommand(root, plan, one, { review: 'Reviewed.' });
    expect(proved).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect([shown(gated, root), shown(proved, root)]).toMatchSnapshot();
  });

  it('verify catches an edited number and a commit made after the proof', async () => {
    const { root, worktree, plan, stage: one } = await setUp({});
    await runGatesCommand(root, plan, one);
    expect((await writeProofCommand(root, plan, one, { review: 'Reviewed.' })).ok).toBe(true);

    const proofFile = join(worktree, 'stage-proofs/stage-1/proof.json');
    const original = readFileSync(proofFile, 'utf8');
    writeFileSync(proofFile, original.replace('"passed": 3', '"passed": 30'));
    git(worktree, ['commit', '-q', '-am', 'better numbers']);
    const edited = await verifyCommand(root, plan, one);
    expect(edited).toMatchObject({ ok: false, failure: { kind: 'refused' }, data: { valid: false, head: head(worktree) } });
    expect(shown(edited, root)).toMatchSnapshot('verify: an edited number');
    git(worktree, ['revert', '--no-edit', 'HEAD']);
    expect((await verifyCommand(root, plan, one)).ok).toBe(true);

    const row = async () => (await statusCommand(root, plan)).data!.stages[0];
    expect(await row()).toMatchObject({ gates: 'pass', proof: 'valid' });
    commitFile(worktree, 'src/late.ts', 'export const late = 1;\n', 'a change after the proof');
    expect(await row()).toMatchObject({ gates: 'stale', proof: 'invalid' });
    const late = await verifyCommand(root, plan, one);
    expect(late).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    // --json prints the report alone on stdout, refused or not.
    expect(JSON.parse(renderOutcome(late, { json: true }).stdout)).toMatchObject({
      stage: '1',
      valid: false,
      problems: [expect.stringContaining('the branch changed after the proof: src/late.ts')],
    });
  });

  it('verify without a proof says what to do; a stage not started is skipped; a branch without a worktree says where to measure', async () => {
    const { root, plan } = await setUp({});
    const none = await verifyCommand(root, plan, plan.stages[0]);
    expect(none).toMatchObject({ ok: false, failure: { kind: 'refused' }, data: { valid: false } });
    // A stage not started: one line and success, so `run-many -t gates` / `-t verify` stay green.
    const skipped = { ok: true, data: { stage: '2', skipped: 'Stage 2 has no branch yet (stage-2): nothing to do. Start it with `nx g nx-stages:worktree 2`.' } };
    const skips = [await verifyCommand(root, plan, plan.stages[1]), await runGatesCommand(root, plan, plan.stages[1]), await writeProofCommand(root, plan, plan.stages[1])];
    for (const skip of skips) expect(skip).toMatchObject({ ...skipped, text: skipped.data.skipped });
    // A branch without a worktree still says where to measure.
    git(root, ['branch', 'stage-2']);
    const nowhere = await runGatesCommand(root, plan, plan.stages[1]);
    expect(nowhere).toMatchObject({ ok: false, failure: { kind: 'not-found' } });
    expect([shown(none, root), shown(nowhere, root)]).toMatchSnapshot();
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
    expect(interrupted).toMatchObject({ ok: false, failure: { kind: 'interrupted', interrupted: 'SIGTERM' } });
    expect(existsSync(store(worktree).result)).toBe(false);
    const proved = await writeProofCommand(root, plan, one, { review: 'Reviewed.' });
    expect(proved).toMatchObject({ ok: false, failure: { kind: 'not-found' } });
    expect([shown(interrupted, root), shown(proved, root)]).toMatchSnapshot();
  });
});
