import type { Proof } from '../core/gates/proof';
import { verifyCommittedProof, type Verification } from '../core/gates/verify';
import type { Plan, Stage } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { resolveCommit } from '../git/branch';
import { contentHash, fileAt, outsideFolder } from '../git/content';
import { changedFiles } from '../git/merge-tree';
import { openRepository } from '../git/repository';
import { proofPaths } from './proof-paths';
import { stageSkip } from './stage-skip';
import type { CommandResult } from './validate';

/**
 * Checks the proof committed at the head of the stage's branch against that branch, from git
 * objects alone (no checkout needed): digest, evidence, rendered file, and the content it measured.
 */
export async function verifyStageProof(root: string, plan: Plan, stage: Stage): Promise<Verification & { branch: string; head?: string }> {
  const branch = stageBranch(plan.settings, stage.id);
  const invalid = (problem: string) => ({ valid: false, problems: [problem], branch });
  const repository = await openRepository(root);
  if (!repository.ok) return invalid(repository.message);
  const dir = repository.value.root;
  const head = await resolveCommit(dir, `refs/heads/${branch}`);
  if (!head.ok) return invalid(`stage ${stage.id} has no branch ${branch} yet.`);
  const paths = proofPaths(stage.id);
  const [proofJson, markdown, hash] = await Promise.all([
    fileAt(dir, head.value, paths.proofJson),
    fileAt(dir, head.value, paths.markdown),
    contentHash(dir, head.value, paths.folder),
  ]);
  if (!proofJson.ok) return invalid(proofJson.message);
  if (!markdown.ok) return invalid(markdown.message);
  if (!hash.ok) return invalid(hash.message);
  const claimed = parse(proofJson.value);
  const evidence: Record<string, string | undefined> = {};
  for (const entry of claimed?.evidence ?? []) {
    const content = await fileAt(dir, head.value, entry.path);
    evidence[entry.path] = content.ok ? content.value : undefined;
  }
  const changed = claimed?.commit ? await changedFiles(dir, claimed.commit, head.value) : undefined;
  const verification = verifyCommittedProof(stage.id, {
    proofJson: proofJson.value, markdown: markdown.value, evidence, headContentHash: hash.value,
    changedSinceProof: changed?.ok ? outsideFolder(changed.value, paths.folder) : [],
  }, paths.proofJson);
  return { ...verification, branch, head: head.value };
}

export async function verifyCommand(root: string, plan: Plan, stage: Stage, options: { json?: boolean } = {}): Promise<CommandResult> {
  const skip = await stageSkip(root, plan, stage.id);
  if (skip) return { success: true, output: options.json ? JSON.stringify({ stage: stage.id, skipped: skip }, null, 2) : skip };
  const verification = await verifyStageProof(root, plan, stage);
  if (options.json) {
    return { success: verification.valid, output: JSON.stringify({ stage: stage.id, branch: verification.branch, head: verification.head ?? null, valid: verification.valid, problems: verification.problems }, null, 2) };
  }
  if (verification.valid) {
    const proof = verification.proof as Proof;
    return { success: true, output: `✔ Stage ${stage.id}: the proof on ${verification.branch} matches its content (measured ${proof.commit.slice(0, 7)}, ${proof.tests ? `${proof.tests.passed}/${proof.tests.total} tests` : 'tests not measured'}).` };
  }
  return { success: false, output: [`✖ Stage ${stage.id}: the proof on ${verification.branch} cannot be trusted:`, ...verification.problems.map((problem) => `  - ${problem}`)].join('\n') };
}

function parse(text: string | undefined): Partial<Proof> | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Partial<Proof>;
  } catch {
    return undefined;
  }
}
