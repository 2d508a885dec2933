import { createHash } from 'node:crypto';
import { stage } from '../test-support/plan-data';
import type { GatesResult } from './gates-result';
import { buildProof, proofDigest } from './proof';
import { extractReview, renderProofMarkdown, REVIEW_END, REVIEW_SKELETON, REVIEW_START } from './proof-markdown';
import { verifyCommittedProof, type CommittedProof } from './verify';

const junit = '<testsuites><testcase name="a"/><testcase name="b"/></testsuites>';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function sampleResult(overrides: Partial<GatesResult> = {}): GatesResult {
  return {
    version: 2,
    reuseKey: 'k'.repeat(64),
    parallel: 2,
    stage: '9.1',
    commit: 'a'.repeat(40),
    contentHash: 'c'.repeat(64),
    clean: true,
    uncommitted: [],
    base: { branch: 'main', mergeBase: 'b'.repeat(40) },
    startedAt: '2026-11-21T10:00:00.000Z',
    finishedAt: '2026-11-21T10:01:00.000Z',
    tests: { total: 2, passed: 2, failed: 0, skipped: 0 },
    coverage: null,
    vulnerabilities: null,
    evidence: [{ path: 'stage-proofs/stage-9.1/reports/evidence/test-1-junit.xml', kind: 'junit', sha256: sha(junit) }],
    gates: [
      {
        name: 'test',
        tier: 'mandatory',
        status: 'pass',
        durationMs: 1200,
        detail: '2/2 passed',
        command: 'nx affected -t test',
        report: 'stage-proofs/stage-9.1/reports/gates/gate-1-test.txt',
      },
      {
        name: 'audit',
        tier: 'recommended',
        status: 'could-not-run',
        durationMs: 300,
        detail: 'audit could not run: E405',
        command: 'npm audit --json',
        report: 'stage-proofs/stage-9.1/reports/gates/gate-2-audit.txt',
      },
      { name: 'proof', tier: 'mandatory', status: 'pending', durationMs: 0, detail: 'decided later', command: '', report: null },
    ],
    ...overrides,
  };
}

const the = stage('9.1', { name: 'Dashboard | UI', deliverables: ['Dashboard page'], value: 'People build dashboards.' });
const context = { branch: 'stage-9.1', dependencies: [], unblocks: ['9.4'], proofGate: { status: 'pass' as const, detail: 'review written' } };

function committed(proof: ReturnType<typeof buildProof>, overrides: Partial<CommittedProof> = {}): CommittedProof {
  return {
    proofJson: JSON.stringify(proof, null, 2),
    markdown: renderProofMarkdown(proof, 'Reviewed by Ana.'),
    evidence: { [proof.evidence[0].path]: junit },
    headContentHash: proof.contentHash,
    changedSinceProof: [],
    ...overrides,
  };
}

describe('proofs', () => {
  it('takes every number from the gates result and the proof gate from the review check', () => {
    const proof = buildProof(sampleResult(), the, context);
    expect(proof).toMatchObject({ stage: '9.1', commit: 'a'.repeat(40), tests: { total: 2, passed: 2 }, coverage: null, unblocks: ['9.4'] });
    expect(proof.gates.map((gate) => gate.status)).toEqual(['pass', 'could-not-run', 'pass']);
    expect(proof.digest).toBe(proofDigest((({ digest, ...body }) => body)(proof)));
  });

  it('renders the proof file with TL;DR, tables, escaped names, and keeps the review', () => {
    const proof = buildProof(sampleResult(), the, context);
    const markdown = renderProofMarkdown(proof, 'Reviewed by Ana.');
    expect(markdown).toContain('# Stage 9.1 proof: Dashboard \\| UI');
    expect(markdown).toContain('**TL;DR:** ✅ complete: 2/2 mandatory gates passed, 2/2 tests passed');
    expect(markdown).toContain('| 2 | proof | ✅ pass |');
    expect(markdown).toContain('- [gate-1-test.txt](reports/gates/gate-1-test.txt)');
    expect(extractReview(markdown)).toBe('Reviewed by Ana.');
    expect(extractReview(renderProofMarkdown(proof, ''))).toBe(REVIEW_SKELETON);
    expect(markdown.indexOf(REVIEW_START)).toBeLessThan(markdown.indexOf(REVIEW_END));
    // The whole page, golden: a change of wording or layout shows up in review (format 2 proofs never re-render it).
    expect(markdown).toMatchSnapshot();
  });

  it('marks a not-run or failed mandatory gate as incomplete', () => {
    const result = sampleResult();
    result.gates[0] = { ...result.gates[0], status: 'not-run' };
    expect(renderProofMarkdown(buildProof(result, the, context), '')).toContain('❌ incomplete');
  });
});

describe('verifyCommittedProof', () => {
  const proof = buildProof(sampleResult(), the, context);

  it('accepts an untouched proof on unchanged content, whatever the review says', () => {
    expect(verifyCommittedProof('9.1', committed(proof), 'proof.json')).toMatchObject({ valid: true, problems: [] });
  });

  it('catches a number edited in proof.json', () => {
    const edited = JSON.parse(JSON.stringify(proof));
    edited.tests.passed = 3;
    const verdict = verifyCommittedProof('9.1', committed(proof, { proofJson: JSON.stringify(edited) }), 'proof.json');
    expect(verdict.valid).toBe(false);
    expect(verdict.problems.join('\n')).toContain('digest does not match');
    expect(verdict.problems.join('\n')).toContain('its evidence says');
  });

  it('format 1 (nx-stages 0.1): catches a number edited in the proof file outside the review, by rendering it again', () => {
    const { format: _format, digest: _digest, ...body } = proof;
    const legacy = { ...body, digest: proofDigest(body) };
    expect(verifyCommittedProof('9.1', committed(legacy), 'proof.json')).toMatchObject({ valid: true });
    const markdown = committed(legacy).markdown!.replace('2/2 tests passed', '20/20 tests passed');
    expect(verifyCommittedProof('9.1', committed(legacy, { markdown }), 'proof.json').problems).toEqual([
      'STAGE_9.1_PROOF.md was edited outside its review section: it no longer matches proof.json.',
    ]);
  });

  it('format 2: the proof folder must hold exactly the files of its manifest, unchanged', () => {
    const files = { 'stage-proofs/stage-9.1/STAGE_9.1_PROOF.md': sha('page'), 'stage-proofs/stage-9.1/reports/gate-1-test.txt': sha('summary') };
    const sealed = buildProof(sampleResult(), the, { ...context, files });
    const problems = (folderFiles: Record<string, string>) => verifyCommittedProof('9.1', committed(sealed, { folderFiles }), 'proof.json').problems;
    expect(problems(files)).toEqual([]);
    expect(problems({ ...files, 'stage-proofs/stage-9.1/extra.txt': sha('x') })).toEqual(['stage-proofs/stage-9.1/extra.txt was added to the proof folder after the proof.']);
    expect(problems({ ...files, 'stage-proofs/stage-9.1/STAGE_9.1_PROOF.md': sha('edited') })).toEqual(['stage-proofs/stage-9.1/STAGE_9.1_PROOF.md was changed after the proof.']);
    expect(problems({ 'stage-proofs/stage-9.1/STAGE_9.1_PROOF.md': files['stage-proofs/stage-9.1/STAGE_9.1_PROOF.md'] })).toEqual([
      'stage-proofs/stage-9.1/reports/gate-1-test.txt was removed from the proof folder after the proof.',
    ]);
  });

  it('catches a proof whose verdicts its own numbers deny, even with a recomputed digest', () => {
    const forged = buildProof(sampleResult({ tests: { total: 1, passed: 0, failed: 1, skipped: 0 } }), the, context);
    const problems = verifyCommittedProof('9.1', committed(forged), 'proof.json').problems.join('\n');
    expect(problems).toContain('the test gate says pass, but 1 of 1 tests failed.');
  });

  it('catches a proof copied from elsewhere: its measured commit is not in the branch', () => {
    expect(verifyCommittedProof('9.1', committed(proof, { measured: { inHistory: false, contentHash: undefined } }), 'proof.json').problems.join('\n')).toContain(
      'is not in this branch',
    );
    expect(verifyCommittedProof('9.1', committed(proof, { measured: { inHistory: true, contentHash: 'e'.repeat(64) } }), 'proof.json').problems.join('\n')).toContain(
      'is not the content of the commit it measured',
    );
  });

  it('refuses a format newer than it knows', () => {
    const { digest: _digest, ...body } = proof;
    const future = { ...body, format: 3 };
    expect(verifyCommittedProof('9.1', committed({ ...future, digest: proofDigest(future) }), 'proof.json').problems.join('\n')).toContain('upgrade nx-stages');
  });

  it('catches edited evidence, missing files and a changed branch', () => {
    const problems = (overrides: Partial<CommittedProof>) => verifyCommittedProof('9.1', committed(proof, overrides), 'proof.json').problems.join('\n');
    expect(problems({ evidence: { [proof.evidence[0].path]: junit.replace('name="b"/>', 'name="b"/><testcase name="c"/>') } })).toContain('was changed after it was measured');
    expect(problems({ evidence: {} })).toContain('is missing from the branch');
    expect(problems({ headContentHash: 'd'.repeat(64), changedSinceProof: ['src/app.ts'] })).toContain('the branch changed after the proof: src/app.ts');
    expect(problems({ proofJson: undefined })).toContain('no proof committed');
    expect(problems({ proofJson: '{ broken' })).toContain('not valid JSON');
  });
});
