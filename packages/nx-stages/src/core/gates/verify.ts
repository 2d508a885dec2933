import { createHash } from 'node:crypto';
import { measureEvidence, type EvidenceText } from './evidence';
import { failedMandatory } from './gates-result';
import { canonicalJson, proofDigest, type Proof } from './proof';
import { renderProofMarkdown, withoutReview } from './proof-markdown';
import { proofFileName } from '../conventions';

/** What `verify` reads from the stage branch's head. */
export interface CommittedProof {
  /** proof.json text; undefined when the branch has none. */
  proofJson: string | undefined;
  /** STAGE_<id>_PROOF.md text; undefined when missing. */
  markdown: string | undefined;
  /** Contents of the files proof.json lists as evidence (undefined = missing). */
  evidence: Record<string, string | undefined>;
  /** Every file of the proof folder at the head but proof.json: path → sha256 (format 2 checks it against the manifest). */
  folderFiles?: Record<string, string>;
  /** The measured commit as the branch has it: in its history, and its content hash. */
  measured?: { inHistory: boolean; contentHash: string | undefined };
  /** Content hash of the branch head, the proof folder left out. */
  headContentHash: string;
  /** Files changed between the measured commit and the head, outside the proof folder. */
  changedSinceProof: string[];
}

export interface Verification {
  valid: boolean;
  problems: string[];
  proof?: Proof;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Does the committed proof still say the truth about the branch? Every reason it does not,
 * listed. Checks only what needs no run ("checksum" trust): the digest, the manifest of the proof
 * folder, the numbers against the evidence and against the gates' own verdicts, the content
 * against the measured commit. A forger who rewrites evidence and digest together passes this;
 * the signed and remeasured trust levels catch them.
 */
export function verifyCommittedProof(id: string, committed: CommittedProof, proofPath: string): Verification {
  if (committed.proofJson === undefined) {
    return { valid: false, problems: [`no proof committed: ${proofPath} is not on the branch. Run gates, then proof.`] };
  }
  let proof: Proof;
  try {
    proof = JSON.parse(committed.proofJson) as Proof;
  } catch {
    return { valid: false, problems: [`${proofPath} is not valid JSON: it was edited by hand. Run gates and proof again.`] };
  }
  if (proof === null || typeof proof !== 'object' || !Array.isArray(proof.gates)) {
    return { valid: false, problems: [`${proofPath} is not a proof: it was edited by hand. Run gates and proof again.`] };
  }
  const problems: string[] = [];
  if (proof.stage !== id) problems.push(`${proofPath} is the proof of stage ${JSON.stringify(proof.stage)}, not ${id}.`);
  const { digest, ...body } = proof;
  if (digest !== proofDigest(body)) problems.push(`${proofPath} was edited after it was written: its digest does not match its content.`);
  if (proof.format === undefined) problems.push(...legacyPageProblems(id, proof, committed.markdown));
  else if (proof.format === 2) problems.push(...manifestProblems(proof.files ?? {}, committed.folderFiles ?? {}));
  else problems.push(`${proofPath} has format ${JSON.stringify(proof.format)}, newer than this nx-stages knows: upgrade nx-stages to verify it.`);
  problems.push(...evidenceProblems(proof, committed.evidence, proofPath));
  problems.push(...verdictContradictions(proof));
  const failed = failedMandatory(proof.gates);
  if (failed.length) problems.push(`mandatory gates did not pass: ${failed.join(', ')}.`);
  if (committed.measured && !committed.measured.inHistory) {
    problems.push(
      `the commit it says it measured (${String(proof.commit).slice(0, 12)}) is not in this branch's history: the proof was copied or the history rewritten. Run gates and proof again.`,
    );
  } else if (committed.measured && committed.measured.contentHash !== proof.contentHash) {
    problems.push(`the content hash in ${proofPath} is not the content of the commit it measured. Run gates and proof again.`);
  }
  if (committed.headContentHash !== proof.contentHash) {
    const files = committed.changedSinceProof;
    problems.push(
      `the branch changed after the proof: ${files.length ? files.slice(0, 10).join(', ') + (files.length > 10 ? `, and ${files.length - 10} more` : '') : 'its content differs'}.` +
        ' Run gates and proof again.',
    );
  }
  return { valid: problems.length === 0, problems, proof };
}

/** Format 2: the proof folder holds exactly the files the proof committed, unchanged. */
function manifestProblems(manifest: Record<string, string>, present: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, hash] of Object.entries(manifest)) {
    if (present[path] === undefined) problems.push(`${path} was removed from the proof folder after the proof.`);
    else if (present[path] !== hash) problems.push(`${path} was changed after the proof.`);
  }
  for (const path of Object.keys(present)) if (manifest[path] === undefined) problems.push(`${path} was added to the proof folder after the proof.`);
  return problems;
}

/** Format 1 (nx-stages 0.1): the page is re-rendered and compared outside its review. */
function legacyPageProblems(id: string, proof: Proof, markdown: string | undefined): string[] {
  if (markdown === undefined) return [`the proof file ${proofFileName(id)} is missing.`];
  return withoutReview(markdown) === withoutReview(renderProofMarkdown(proof, ''))
    ? []
    : [`${proofFileName(id)} was edited outside its review section: it no longer matches proof.json.`];
}

/** The numbers must be what the committed evidence files say, and those files must be the ones measured. */
function evidenceProblems(proof: Proof, contents: Record<string, string | undefined>, proofPath: string): string[] {
  const problems: string[] = [];
  const files: EvidenceText[] = [];
  for (const entry of proof.evidence ?? []) {
    const content = contents[entry.path];
    if (content === undefined) problems.push(`evidence file ${entry.path} is missing from the branch.`);
    else if (sha256(content) !== entry.sha256) problems.push(`evidence file ${entry.path} was changed after it was measured.`);
    else files.push({ kind: entry.kind, path: entry.path, content });
  }
  if (problems.length) return problems;
  const measured = measureEvidence(files);
  if (canonicalJson(measured.tests) !== canonicalJson(proof.tests ?? null)) {
    problems.push(`${proofPath} says tests ${canonicalJson(proof.tests ?? null)} but its evidence says ${canonicalJson(measured.tests)}.`);
  }
  if (canonicalJson(measured.coverage) !== canonicalJson(proof.coverage ?? null)) {
    problems.push(`${proofPath} says coverage ${canonicalJson(proof.coverage ?? null)} but its evidence says ${canonicalJson(measured.coverage)}.`);
  }
  return problems;
}

/** Verdicts the proof's own numbers contradict: a result edited from fail to pass shows here. */
export function verdictContradictions(proof: {
  gates: readonly { name: string; status: string; threshold?: number }[];
  tests: Proof['tests'];
  coverage: Proof['coverage'];
}): string[] {
  const problems: string[] = [];
  const test = proof.gates.find((gate) => gate.name === 'test');
  if (test?.status === 'pass') {
    const tests = proof.tests;
    if (!tests) problems.push('the test gate says pass, but no tests were measured.');
    else if (tests.failed > 0) problems.push(`the test gate says pass, but ${tests.failed} of ${tests.total} tests failed.`);
    else if (tests.total === 0) problems.push('the test gate says pass, but no test ran.');
    else if (tests.passed + tests.failed + tests.skipped !== tests.total) problems.push('the test counts do not add up.');
  }
  const coverage = proof.gates.find((gate) => gate.name === 'coverage');
  if (coverage?.status === 'pass') {
    const lines = proof.coverage?.lines;
    if (lines === null || lines === undefined) problems.push('the coverage gate says pass, but coverage was not measured.');
    else if (lines < (coverage.threshold ?? 90)) problems.push(`the coverage gate says pass, but line coverage ${lines} % is under its threshold ${coverage.threshold ?? 90} %.`);
  }
  return problems;
}
