import { proofFileName } from '../core/gates/proof-markdown';

/**
 * What a stage's proof commits, relative to the checkout: its own folder, so parallel stages never
 * conflict there. The gates' full logs and results stay in the gates store (io/gates-store.ts).
 */
export function proofPaths(id: string) {
  const folder = `stage-proofs/stage-${id}`;
  return {
    folder,
    proofJson: `${folder}/proof.json`,
    markdown: `${folder}/${proofFileName(id)}`,
    /** A short text summary per gate (ANSI stripped, capped). */
    reports: `${folder}/reports`,
    /** Where an evidence file recorded in the store (`evidence/…`) is committed. */
    committedEvidence: (storePath: string) => `${folder}/${storePath}`,
  };
}

export type ProofPaths = ReturnType<typeof proofPaths>;
