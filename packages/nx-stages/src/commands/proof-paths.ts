import { proofFileName } from '../core/gates/proof-markdown';

/** Where a stage's proof and reports live, relative to the checkout: its own folder, so parallel stages never conflict there. */
export function proofPaths(id: string) {
  const folder = `stage-proofs/stage-${id}`;
  return {
    folder,
    proofJson: `${folder}/proof.json`,
    markdown: `${folder}/${proofFileName(id)}`,
    gateReports: `${folder}/reports/gates`,
    evidence: `${folder}/reports/evidence`,
    /** The machine-readable result of the latest gates run. */
    result: `${folder}/reports/gates/gates.json`,
  };
}

export type ProofPaths = ReturnType<typeof proofPaths>;
