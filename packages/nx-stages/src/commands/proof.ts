import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { measureEvidence } from '../core/gates/evidence';
import { verdictContradictions } from '../core/gates/verify';
import { join } from 'node:path';
import { failedMandatory, STATUS_MARK, type GatesResult } from '../core/gates/gates-result';
import { findReviewPlaceholders } from '../core/gates/placeholders';
import { buildProof, canonicalJson, type DependencyState, type Proof } from '../core/gates/proof';
import { extractReview, renderProofMarkdown, REVIEW_END, REVIEW_START } from '../core/gates/proof-markdown';
import type { GateStatus } from '../core/gates/judge';
import type { Plan, Stage } from '../core/model';
import { stageBranch } from '../core/worktree-layout';
import { resolveCommit } from '../git/branch';
import { commitFolder, setTag } from '../git/commit-folder';
import { isAncestor } from '../git/content';
import { LockTimeoutError, withLock } from '../git/lock';
import { stageMerged } from '../git/stage-merged';
import { gatesStore, type GatesStore } from '../io/gates-store';
import { readGatesResult, resultStaleness } from './gates-result-file';
import { writeProofRecord } from './proof-record';
import { stageSkip, type StageSkipped } from './stage-skip';
import { signatureProblems } from './verify';
import { proofCommitSubject, proofPaths, proofTag, type ProofPaths } from '../core/conventions';
import { locateStageCheckout, type StageCheckout } from './stage-checkout';
import { done, failed, failureText, type Failure, type Outcome } from '../core/outcome';
import { pushTag, remoteMoved } from '../git/remote';
import { ok, type GitResult } from '../git/result';
import { afterLocal, publishBranch, pushTarget } from './push-target';

export interface ProofOptions {
  base?: string;
  inPlace?: boolean;
  /** The review text to put in the proof (instead of editing the file by hand). */
  review?: string;
  /** Commit the proof on the stage branch (default true). */
  commit?: boolean;
  /** Tag the proof commit stage-<id>-complete (default true). */
  tag?: boolean;
  /** Push the branch and the tag once committed; undefined = `push:` of stages.yaml. */
  push?: boolean;
}

/**
 * `proof`: proof.json and STAGE_<id>_PROOF.md from the latest gates result. Both files are always
 * written (so the review can be filled in); the commit and tag happen only when the result is
 * current, every mandatory gate passed and the review has no placeholder left.
 */
export async function writeProofCommand(root: string, plan: Plan, stage: Stage, options: ProofOptions = {}): Promise<Outcome<Proof | StageSkipped>> {
  const skip = await stageSkip(root, plan, stage.id, options);
  if (skip) return skip;
  const located = await locateStageCheckout(root, plan, stage.id, options);
  if (!located.ok) return refusal(stage, located);
  const remote = await pushTarget(root, plan.settings, options.push);
  if (!remote.ok) return refusal(stage, remote);
  const paths = proofPaths(stage.id);
  try {
    return await withLock(located.value.commonDir, `gates-stage-${stage.id}`, () => prove(root, located.value, plan, stage, paths, { ...options, remote: remote.value }));
  } catch (error) {
    // Another gates or proof run of this stage holds the lock past the wait.
    if (error instanceof LockTimeoutError)
      return refusal(stage, {
        kind: 'busy',
        message: error.message.replace(/\. If that process is gone.*$/, ''),
        hint: 'If that process is gone, delete the lock file and try again.',
      });
    throw error;
  }
}

/** A refusal of the proof: every one starts with the stage, so a run-many's output says whose it is. */
function refusal(stage: Stage, failure: Failure, notes?: string[]): Outcome<never> {
  return failed({ ...failure, message: `Proof of stage ${stage.id} refused: ${failure.message}` }, { notes });
}

async function prove(root: string, where: StageCheckout, plan: Plan, stage: Stage, paths: ProofPaths, options: ProofOptions & { remote?: string }): Promise<Outcome<Proof>> {
  const refuse = (message: string, hint?: string) => refusal(stage, { kind: 'refused', message, ...(hint === undefined ? {} : { hint }) });
  const { checkout } = where;
  const store = gatesStore(where.commonDir, stage.id);
  const result = await readGatesResult(where.commonDir, stage.id);
  if (!result) return refusal(stage, { kind: 'not-found', message: 'no gate results yet', hint: `Run \`nx run stage-${stage.id}:gates\` first.` });
  const stale = await resultStaleness(checkout, result, paths);
  if (stale) return refusal(stage, stale);
  const edited = await editedEvidence(store, result);
  if (edited.length) return refuse(`evidence was changed after the gates wrote it: ${edited.join(', ')}`, 'Run gates again.');
  // The result is re-judged, not trusted: its numbers must be what its evidence says, its verdicts what its numbers say.
  const doubts = await resultDoubts(store, result);
  if (doubts.length) return refuse(`the gates result contradicts itself (was it edited?): ${doubts.join(' ')}`, 'Run gates again.');
  const record = await writeProofRecord(checkout, store, result, paths);

  const markdownFile = join(checkout, paths.markdown);
  const review = options.review ?? extractReview(await readFile(markdownFile, 'utf8').catch(() => '')) ?? '';
  const context = {
    branch: where.branch,
    dependencies: await dependencyStates(where, plan, stage),
    unblocks: plan.stages.filter((other) => other.dependsOn.includes(stage.id)).map((other) => other.id),
    proofGate: judgeReview(review, paths.markdown),
  };
  // The page first, then the manifest of the whole folder (page included), then proof.json sealing both.
  await writeFile(markdownFile, renderProofMarkdown(buildProof(record, stage, context), review));
  const proof = buildProof(record, stage, { ...context, files: await folderManifest(checkout, paths) });
  await writeFile(join(checkout, paths.proofJson), `${JSON.stringify(proof, null, 2)}\n`);

  const blocking = proof.gates.filter((gate) => failedMandatory([gate]).length);
  if (blocking.length) {
    // Each gate that blocks, with its reason, above the refusal; the refusal names only those that
    // ran and failed (one fast-fail stopped is marked as not run, as the gates summary counts it).
    const measuredAs = (name: string) => result.gates.find((gate) => gate.name === name)?.status;
    const failing = blocking.filter((gate) => measuredAs(gate.name) !== 'not-run').map((gate) => gate.name);
    return refusal(
      stage,
      {
        kind: 'failed',
        message: `mandatory gates did not pass (${failing.join(', ') || 'not run'}); ${paths.markdown} was written as a draft and nothing was committed`,
        hint: failing.length === 1 && failing[0] === 'proof' ? 'Write the review, then run proof again.' : 'Make them pass, run gates again, then proof.',
      },
      blocking.map((gate) => `  ${measuredAs(gate.name) === 'not-run' ? STATUS_MARK['not-run'] : STATUS_MARK.fail} ${gate.name}: ${gate.detail}`),
    );
  }
  if (options.commit === false) {
    const unpushed = options.remote ? ' Nothing was pushed: there is no proof commit to push.' : '';
    return done(`Proof of stage ${stage.id} written to ${paths.folder} (not committed: --commit=false).${unpushed}`, proof);
  }
  const subject = proofCommitSubject(stage.id, stage.name);
  const committed = await commitFolder(checkout, paths.folder, subject, commitBody(proof), { sign: plan.settings.proofs.trust === 'signed' });
  if (!committed.ok) return refusal(stage, committed);
  // proofs.trust: signed judges the proof commit's signature, and a proof already committed is never signed again here:
  // with nothing new to commit, an unsigned one (or one by a key not allowed) is refused rather than called current.
  const unsigned = plan.settings.proofs.trust !== 'signed' ? [] : await proofSignatureProblems(root, checkout, plan, stage, committed.value);
  if (unsigned.length && !committed.value) return refuse(`the proof on ${where.branch} is already committed, but ${unsigned.join(' ')}`.replace(/\.$/, ''));
  const lines = [
    committed.value ? `✔ Committed "${subject}" on ${where.branch} (${committed.value.slice(0, 7)})` : `✔ The proof on ${where.branch} is already current: nothing to commit`,
  ];
  if (unsigned.length) lines.push(`! verify and merge will refuse it: ${unsigned.join(' ')}`);
  const tag = options.tag === false ? undefined : proofTag(stage.id);
  if (tag) {
    // Nothing new to commit: the proof already at HEAD gets the tag.
    const proofCommit = committed.value ? { ok: true as const, value: committed.value } : await resolveCommit(checkout, 'HEAD');
    if (!proofCommit.ok) return refusal(stage, proofCommit);
    const tagged = await setTag(checkout, tag, proofCommit.value, subject);
    if (!tagged.ok) return refusal(stage, tagged);
    lines.push(`✔ Tag ${tag} ${tagged.value === 'unchanged' ? 'already points at it' : tagged.value === 'moved' ? 'moved to it' : 'created'}`);
  }
  if (options.remote) {
    const pushed = await pushProof(checkout, options.remote, where.branch, tag);
    // The proof stays committed (and tagged): what was done is the report, the push is what failed.
    if (!pushed.ok) {
      const failure = afterLocal(`The proof of stage ${stage.id} is committed on ${where.branch}`, pushed);
      return failed(failure, { text: [...lines, `${STATUS_MARK.fail} ${failureText(failure)}`].join('\n'), data: proof });
    }
    lines.push(pushed.value);
  }
  lines.push(
    `  ${proof.tests ? `${proof.tests.passed}/${proof.tests.total} tests passed` : 'tests not measured'}, line coverage ${proof.coverage?.lines ?? 'not measured'}${proof.coverage?.lines == null ? '' : ' %'}; ${paths.markdown}`,
  );
  return done(lines.join('\n'), proof);
}

/**
 * The branch, then its tag: a tag on the remote never names a commit its branch there lacks. A
 * tag the remote already has elsewhere (an earlier proof of the stage) is never moved by a push:
 * the branch carries the new proof, which is what verify and merge read, so that is a warning.
 */
async function pushProof(checkout: string, remote: string, branch: string, tag: string | undefined): Promise<GitResult<string>> {
  const branchPushed = await publishBranch(checkout, remote, branch);
  if (!branchPushed.ok) return branchPushed;
  if (!tag) return ok(`✔ Pushed ${branch} to ${remote}`);
  const tagPushed = await pushTag(checkout, remote, tag);
  if (!tagPushed.ok && remoteMoved(tagPushed)) {
    return ok(
      [
        `✔ Pushed ${branch} to ${remote}`,
        `! ${remote}'s tag ${tag} still names an earlier proof: a push never moves a tag. The branch carries the new proof (verify and merge read it); to move the tag, push it with --force yourself.`,
      ].join('\n'),
    );
  }
  if (!tagPushed.ok) return tagPushed;
  return ok(`✔ Pushed ${branch} and tag ${tag} to ${remote}`);
}

/** What verify will say of the signature on the proof commit at the checkout's head (`HEAD` of the checkout, not of `root`). */
async function proofSignatureProblems(root: string, checkout: string, plan: Plan, stage: Stage, commit: string | undefined): Promise<string[]> {
  const head = commit ? { ok: true as const, value: commit } : await resolveCommit(checkout, 'HEAD');
  return head.ok ? signatureProblems(root, plan, stage, head.value) : [head.message];
}

/** Every file of the proof folder but proof.json, with its sha256: what verify holds the folder to. */
async function folderManifest(checkout: string, paths: ProofPaths): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(checkout, relative), { withFileTypes: true })) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && path !== paths.proofJson)
        files[path] = createHash('sha256')
          .update(await readFile(join(checkout, path)))
          .digest('hex');
    }
  };
  await walk(paths.folder);
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What a gates result says that its own evidence or numbers deny. */
async function resultDoubts(store: GatesStore, result: GatesResult): Promise<string[]> {
  const texts = await Promise.all(result.evidence.map(async (entry) => ({ kind: entry.kind, path: entry.path, content: await readFile(store.file(entry.path), 'utf8') })));
  const measured = measureEvidence(texts);
  const doubts: string[] = [];
  if (canonicalJson(measured.tests) !== canonicalJson(result.tests)) doubts.push(`It says tests ${canonicalJson(result.tests)}, its evidence ${canonicalJson(measured.tests)}.`);
  if (canonicalJson(measured.coverage) !== canonicalJson(result.coverage))
    doubts.push(`It says coverage ${canonicalJson(result.coverage)}, its evidence ${canonicalJson(measured.coverage)}.`);
  doubts.push(...verdictContradictions(result).map((doubt) => doubt[0].toUpperCase() + doubt.slice(1)));
  return doubts;
}

async function editedEvidence(store: GatesStore, result: GatesResult): Promise<string[]> {
  const edited: string[] = [];
  for (const file of result.evidence) {
    const content = await readFile(store.file(file.path), 'utf8').catch(() => undefined);
    if (content === undefined || createHash('sha256').update(content).digest('hex') !== file.sha256) edited.push(file.path);
  }
  return edited;
}

/** The proof gate: a review must be written, with no placeholder left. */
function judgeReview(review: string, markdownPath: string): { status: GateStatus; detail: string } {
  const where = `write it in the Review section of ${markdownPath} (between the nx-stages:review markers), or pass --review`;
  if (review.trim() === '') return { status: 'fail', detail: `no review written: ${where}` };
  // A marker inside the review would cut it short the next time the file is read.
  if (review.includes(REVIEW_START) || review.includes(REVIEW_END)) return { status: 'fail', detail: 'the review contains an nx-stages:review marker: remove it' };
  const placeholders = findReviewPlaceholders(review);
  if (placeholders.length) return { status: 'fail', detail: `the review still has placeholders (${placeholders.map((found) => `"${found.text}"`).join(', ')}): ${where}` };
  return { status: 'pass', detail: 'review written, no placeholders' };
}

async function dependencyStates(where: StageCheckout, plan: Plan, stage: Stage): Promise<DependencyState[]> {
  const states: DependencyState[] = [];
  for (const id of stage.dependsOn) {
    const name = plan.stages.find((other) => other.id === id)?.name ?? id;
    const branch = stageBranch(plan.settings, id);
    const merged = await stageMerged(where.checkout, { id, branch }, where.base);
    if (merged.ok && merged.value) {
      states.push({ id, name, state: 'merged' });
      continue;
    }
    const stacked = await isAncestor(where.checkout, branch, 'HEAD');
    states.push({ id, name, state: stacked.ok && stacked.value ? 'stacked' : 'missing' });
  }
  return states;
}

function commitBody(proof: Proof): string {
  const gates = proof.gates.map((gate) => `- ${gate.name} [${gate.tier}]: ${gate.status}`).join('\n');
  return [
    proof.deliverables.length ? `Deliverables:\n${proof.deliverables.map((item) => `- ${item}`).join('\n')}` : '',
    `Tests: ${proof.tests ? `${proof.tests.passed}/${proof.tests.total} passed, ${proof.tests.failed} failed, ${proof.tests.skipped} skipped` : 'not measured'}`,
    `Coverage: ${proof.coverage ? `lines ${proof.coverage.lines} %, branches ${proof.coverage.branches} %, functions ${proof.coverage.functions} %, statements ${proof.coverage.statements} %` : 'not measured'}`,
    `Gates:\n${gates}`,
    `Measured: ${proof.commit} (content ${proof.contentHash.slice(0, 12)})`,
  ]
    .filter(Boolean)
    .join('\n\n');
}
