import { createHash } from 'node:crypto';
import { measureEvidence, type EvidenceText } from './evidence';
import { failedMandatory } from './gates-result';
import { canonicalJson, proofDigest, type Proof } from './proof';
import { renderProofMarkdown, withoutReview } from './proof-markdown';

/** What `verify` reads from the stage branch's head. */
export interface CommittedProof {
  /** proof.json text; undefined when the branch has none. */
  proofJson: string | undefined;
  /** STAGE_<id>_PROOF.md text; undefined when missing. */
  markdown: string | undefined;
  /** Contents of the files proof.json lists as evidence (undefined = missing). */
  evidence: Record<string, string | undefined>;
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

/** Does the committed proof still say the truth about the branch? Every reason it does not, listed. */
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
  const problems: string[] = [];
  if (proof.stage !== id) problems.push(`${proofPath} is the proof of stage ${JSON.stringify(proof.stage)}, not ${id}.`);
  const { digest, ...body } = proof;
  if (digest !== proofDigest(body)) problems.push(`${proofPath} was edited after it was written: its digest does not match its content.`);
  problems.push(...evidenceProblems(proof, committed.evidence, proofPath));
  const failed = failedMandatory(proof.gates ?? []);
  if (failed.length) problems.push(`mandatory gates did not pass: ${failed.join(', ')}.`);
  if (committed.markdown === undefined) problems.push('the proof file STAGE_<id>_PROOF.md is missing.'.replace('<id>', id));
  else if (withoutReview(committed.markdown) !== withoutReview(renderProofMarkdown(proof, ''))) {
    problems.push(`STAGE_${id}_PROOF.md was edited outside its review section: it no longer matches proof.json.`);
  }
  if (committed.headContentHash !== proof.contentHash) {
    const files = committed.changedSinceProof;
    problems.push(
      `the branch changed after the proof: ${files.length ? files.slice(0, 10).join(', ') + (files.length > 10 ? `, and ${files.length - 10} more` : '') : 'its content differs'}` +
        ' Run gates and proof again.',
    );
  }
  return { valid: problems.length === 0, problems, proof };
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
    problems.push(`${proofPath} says tests ${canonicalJson(proof.tests ?? null)} but its JUnit evidence says ${canonicalJson(measured.tests)}.`);
  }
  if (canonicalJson(measured.coverage) !== canonicalJson(proof.coverage ?? null)) {
    problems.push(`${proofPath} says coverage ${canonicalJson(proof.coverage ?? null)} but its coverage evidence says ${canonicalJson(measured.coverage)}.`);
  }
  return problems;
}
