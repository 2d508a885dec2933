/**
 * The method's names, in one place: where a stage's proof lives, what its commits and tag are
 * called, and the merge message nx-stages writes (which `merged` reads back). Changing one here
 * changes it everywhere; proofs already committed keep the names they were made with.
 */

/**
 * What a stage's proof commits, relative to the checkout: its own folder, so parallel stages never
 * conflict there. The gates' full logs and results stay in the gates store (io/gates-store.ts).
 */
export function proofPaths(id: string) {
  const folder = proofFolder(id);
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

/** The proof page's file name, in the stage's proof folder. */
export function proofFileName(id: string): string {
  return `STAGE_${id}_PROOF.md`;
}

export function proofFolder(id: string): string {
  return `stage-proofs/stage-${id}`;
}

/** Subject of the commit `proof` makes on the stage branch. */
export function proofCommitSubject(id: string, name: string): string {
  return `Stage ${id} Complete: ${name}`;
}

/** The tag `proof` puts on that commit. */
export function proofTag(id: string): string {
  return `stage-${id}-complete`;
}

/** The start of every merge commit of the stage, as `merge` writes it: `Merge Stage <id>: <name>`. */
export function mergeSubjectPrefix(id: string): string {
  return `Merge Stage ${id}: `;
}

export function mergeMessage(id: string, name: string): string {
  return `${mergeSubjectPrefix(id)}${name}`;
}
