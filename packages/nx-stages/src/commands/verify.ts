import type { Proof } from '../core/gates/proof';
import { verifyCommittedProof, type Verification } from '../core/gates/verify';
import type { Plan, Stage } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { resolveCommit } from '../git/branch';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TrustLevel } from '../core/proof-settings';
import { commitSignature, lastCommitOf } from '../git/signature';
import { remeasureProof } from './remeasure';
import { contentHash, fileAt, fileBytesAt, isAncestor, outsideFolder } from '../git/content';
import { gitText } from '../git/run';
import { changedFiles } from '../git/merge-tree';
import { openRepository } from '../git/repository';
import { shortRef } from '../git/remote';
import { proofPaths } from '../core/conventions';
import { stageSkip, type StageSkipped } from './stage-skip';
import { done, failed, type Outcome } from '../core/outcome';
import { remoteOnlyRef } from './team-view';

export interface VerifyOptions {
  /** The trust level to hold the proof to; default: `proofs.trust` of stages.yaml. */
  trust?: TrustLevel;
  /** Also run the gates again on the measured commit, whatever the trust level. */
  remeasure?: boolean;
  /** The ref to read the branch from (a teammate's `refs/remotes/origin/stage-2`); default the local branch. */
  ref?: string;
  log?: (line: string) => void;
}

/**
 * Checks the proof committed at the head of the stage's branch against that branch, at the plan's
 * trust level: `checksum` from git objects alone (digest, manifest, evidence, verdicts, content);
 * `signed` also a good signature on the proof commit by an allowed key; `remeasured` (or
 * `remeasure`) also the same verdicts and numbers when the gates run again on the measured commit.
 */
export async function verifyStageProof(root: string, plan: Plan, stage: Stage, options: VerifyOptions = {}): Promise<Verification & { branch: string; head?: string }> {
  const checked = await checksumVerification(root, plan, stage, options.ref);
  if (!checked.valid || !checked.proof || !checked.head) return checked;
  const trust = options.trust ?? plan.settings.proofs.trust;
  const problems: string[] = [];
  if (trust === 'signed') problems.push(...(await signatureProblems(root, plan, stage, checked.head)));
  if (trust === 'remeasured' || options.remeasure) problems.push(...(await remeasureProof(root, plan, stage, checked.proof, options.log)));
  return problems.length ? { ...checked, valid: false, problems } : checked;
}

/** Why the proof committed on the branch at `head` is not signed by an allowed key (empty: it is). */
export async function signatureProblems(root: string, plan: Plan, stage: Stage, head: string): Promise<string[]> {
  const repository = await openRepository(root);
  if (!repository.ok) return [repository.message];
  const commit = await lastCommitOf(repository.value.root, head, proofPaths(stage.id).proofJson);
  if (!commit.ok || !commit.value) return ['the commit of the proof could not be found.'];
  const signers = plan.settings.proofs.allowedSigners;
  const signature = await commitSignature(repository.value.root, commit.value, signers ? join(repository.value.root, signers) : undefined);
  if (!signature.ok) return [signature.message];
  return signature.value.good
    ? []
    : [
        `the proof commit ${commit.value.slice(0, 12)} has no good signature by a key in ${signers ?? 'proofs.allowedSigners'} (proofs.trust: signed): ${signature.value.said || 'unsigned'}. Running proof again never re-signs a committed proof: with an allowed key set (git config user.signingkey, gpg.format ssh), re-sign it in the stage's worktree with \`git commit --amend --no-edit -S\` (it is the branch's last commit), then run \`nx run stage-${stage.id}:proof\` to move its tag.`,
      ];
}

/** The checksum level: from git objects alone (no checkout needed). */
async function checksumVerification(root: string, plan: Plan, stage: Stage, ref?: string): Promise<Verification & { branch: string; head?: string }> {
  // The branch as the message names it: `origin/stage-2` when read from the remote's copy.
  const branch = ref ? shortRef(ref) : stageBranch(plan.settings, stage.id);
  const invalid = (problem: string) => ({ valid: false, problems: [problem], branch });
  const repository = await openRepository(root);
  if (!repository.ok) return invalid(repository.message);
  const dir = repository.value.root;
  const head = await resolveCommit(dir, ref ?? `refs/heads/${branch}`);
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
  const verification = verifyCommittedProof(
    stage.id,
    {
      proofJson: proofJson.value,
      markdown: markdown.value,
      evidence,
      headContentHash: hash.value,
      folderFiles: await folderFiles(dir, head.value, paths.folder, paths.proofJson),
      measured: await measuredCommit(dir, claimed?.commit, head.value, paths.folder),
      changedSinceProof: changed?.ok ? outsideFolder(changed.value, paths.folder) : [],
    },
    paths.proofJson,
  );
  return { ...verification, branch, head: head.value };
}

/** The `--json` document of `verify`: the branch and head it checked, and every problem found. */
export interface VerifyReport {
  stage: string;
  branch: string;
  head: string | null;
  valid: boolean;
  problems: string[];
}

export async function verifyCommand(root: string, plan: Plan, stage: Stage, options: VerifyOptions = {}): Promise<Outcome<VerifyReport | StageSkipped>> {
  // A teammate's stage that only the remote has is verified there, without a checkout.
  const remoteCopy = options.ref ?? (await remoteOnlyRef(root, plan, stageBranch(plan.settings, stage.id)));
  const skip = remoteCopy ? undefined : await stageSkip(root, plan, stage.id);
  if (skip) return skip;
  const verification = await verifyStageProof(root, plan, stage, { ...options, ...(remoteCopy ? { ref: remoteCopy } : {}) });
  const data: VerifyReport = { stage: stage.id, branch: verification.branch, head: verification.head ?? null, valid: verification.valid, problems: verification.problems };
  if (verification.valid) {
    const proof = verification.proof as Proof;
    return done(
      `✔ Stage ${stage.id}: the proof on ${verification.branch} matches its content (measured ${proof.commit.slice(0, 7)}, ${proof.tests ? `${proof.tests.passed}/${proof.tests.total} tests` : 'tests not measured'}).`,
      data,
    );
  }
  // Every problem on a line of its own under the refusal; each is a sentence already.
  const message = [`✖ Stage ${stage.id}: the proof on ${verification.branch} cannot be trusted:`, ...verification.problems.map((problem) => `  - ${problem}`)].join('\n');
  return failed({ kind: 'refused', message }, { data });
}

/** Every file of the proof folder at `rev` but proof.json, with the sha256 of its content. */
async function folderFiles(dir: string, rev: string, folder: string, proofJson: string): Promise<Record<string, string>> {
  const listed = await gitText(dir, ['ls-tree', '-r', '-z', '--name-only', rev, '--', folder]);
  const files: Record<string, string> = {};
  for (const path of listed.ok ? listed.value.split('\0').filter((entry) => entry && entry !== proofJson) : []) {
    const content = await fileBytesAt(dir, rev, path);
    if (content !== undefined) files[path] = createHash('sha256').update(content).digest('hex');
  }
  return files;
}

/** The commit the proof says it measured, as this branch has it. */
async function measuredCommit(dir: string, commit: string | undefined, head: string, folder: string): Promise<{ inHistory: boolean; contentHash: string | undefined }> {
  if (typeof commit !== 'string' || !/^[0-9a-f]{40}$/.test(commit)) return { inHistory: false, contentHash: undefined };
  const exists = await resolveCommit(dir, commit);
  if (!exists.ok) return { inHistory: false, contentHash: undefined };
  const [ancestor, hash] = await Promise.all([isAncestor(dir, commit, head), contentHash(dir, commit, folder)]);
  return { inHistory: ancestor.ok && ancestor.value, contentHash: hash.ok ? hash.value : undefined };
}

function parse(text: string | undefined): Partial<Proof> | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Partial<Proof>;
  } catch {
    return undefined;
  }
}
