import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { decideWrite, hookOutput, noOpinion, ownersToCheck, parseHookPayload, type GuardDecision } from '../core/guard';
import { DEFAULT_PLAN_FOLDER } from '../core/plan-files';
import type { Plan } from '../core/model';
import { done, failed, refuse, type Outcome } from '../core/outcome';
import { stageBranch, stageIdOfBranch } from '../core/worktree-layout';
import { checkoutOf } from '../git/checkout-of';
import { canonicalPath } from '../git/paths';
import { stageMerged } from '../git/stage-merged';
import { readGuardPlan } from '../io/guard-plan';
import { realTarget } from '../io/real-path';
import { resolveBase } from './resolve-base';

export interface GuardData extends GuardDecision {
  /** The stage whose worktree the agent works in. */
  stage?: string;
  /** The file the call writes, resolved. */
  target?: string;
}

/**
 * Claude Code's PreToolUse hook: `payload` is the JSON it sent on stdin; `text` is what the hook
 * prints on stdout (the decision, or nothing when the guard has no opinion). Which stage: the
 * checkout the payload's cwd is in, by its branch; the plan is the main checkout's, where stages
 * are planned (a worktree's copy is as old as its branch).
 *
 * A payload the guard cannot read, or a stage branch the plan does not know, is a failure: the
 * bin exits 1, which Claude Code treats as a non-blocking error (it shows the message, and its
 * own permission rules decide the call). Not exit 2, which would block: a broken plan or a
 * changed protocol would then refuse every edit of every session, and the guard keeps agents in
 * their lane; it is not what stands between an agent and the disk.
 */
export async function guardCommand(payload: string, options: { plan?: string } = {}): Promise<Outcome<GuardData>> {
  const parsed = parseHookPayload(payload);
  if (!parsed.ok) return refuse('invalid-input', parsed.message, parsed.hint);
  const { call } = parsed;
  if (call.file === undefined) return decided(noOpinion('not-a-write', `${call.tool} writes no file`));

  const found = await checkoutOf(call.cwd);
  if (!found.ok) return failed(found);
  const checkout = found.value?.checkout;
  const main = found.value?.main;
  const outside = (why: string) => decided(noOpinion('not-a-stage-worktree', why));
  if (!checkout || !main) return outside(`${call.cwd} is not in a checkout of a git repository`);
  if (checkout.path === main.path) return outside(`${call.cwd} is in the main checkout, not a stage worktree`);
  if (!checkout.branch) return outside(`${checkout.path} has no branch checked out`);

  // The Nx workspace may be a folder of the repository: the same folder in every checkout.
  const workspace = workspaceRootIn(call.cwd, checkout.path);
  if (!workspace) return outside(`${call.cwd} is in no Nx workspace (no nx.json above it in ${checkout.path})`);
  const mainWorkspace = join(main.path, relative(checkout.path, workspace));
  const read = await readGuardPlan(mainWorkspace, options.plan ?? DEFAULT_PLAN_FOLDER);
  if (read.kind === 'invalid') return refuse('invalid-input', read.message, read.hint);
  if (read.kind === 'none') return outside(`${mainWorkspace} has no nx-stages plan`);
  const { plan } = read;

  const id = stageIdOfBranch(plan.settings, checkout.branch);
  if (id === undefined) return outside(`${checkout.branch} is not a stage branch (${plan.settings.branchPattern})`);
  const stage = plan.stages.find((candidate) => candidate.id === id);
  if (!stage) {
    return refuse(
      'not-found',
      `the worktree ${checkout.path} is on ${checkout.branch}, the branch of stage ${id}, but ${plan.settings.file} in ${mainWorkspace} has no stage ${JSON.stringify(id)}`,
      '`npx nx-stages list` lists the stages; add this one to the plan, or work on a branch of one it has.',
    );
  }

  const facts = { stage, plan, worktree: checkout.path, workspace: canonicalPath(workspace), file: call.file, target: realTarget(call.file, call.cwd) };
  const merged = await mergedAmong(checkout.path, plan, ownersToCheck(facts));
  if (!merged.ok) return merged.outcome;
  return decided(decideWrite({ ...facts, merged: merged.ids }), { stage: stage.id, target: facts.target });
}

function decided(decision: GuardDecision, extra: Omit<GuardData, keyof GuardDecision> = {}): Outcome<GuardData> {
  return done(hookOutput(decision), { ...decision, ...extra });
}

/** The nearest folder from `cwd` up to the checkout's top that holds nx.json. */
function workspaceRootIn(cwd: string, top: string): string | undefined {
  for (let dir = canonicalPath(cwd); dir.startsWith(top); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dir === top || dirname(dir) === dir) return undefined;
  }
  return undefined;
}

/**
 * Which of `stages` are merged into the base, asked at once, only for the owners of the file at
 * hand (most writes ask nothing). The method's own test (git/stage-merged, as status and merge
 * use it), not one `for-each-ref --merged` batch: that would call a squash-merged stage unmerged
 * (its files denied for nothing) and a branch only fast-forwarded to the base merged.
 */
async function mergedAmong(root: string, plan: Plan, stages: readonly { id: string }[]): Promise<{ ok: true; ids: Set<string> } | { ok: false; outcome: Outcome<never> }> {
  if (stages.length === 0) return { ok: true, ids: new Set() };
  const ask = (base: string) => Promise.all(stages.map((stage) => stageMerged(root, { id: stage.id, branch: stageBranch(plan.settings, stage.id) }, base)));
  // A base named in stages.yaml is asked about while it is checked (each git call is a process);
  // a base that does not exist is then reported by resolveBase, naming where it came from.
  const named = plan.settings.baseBranch;
  const [base, early] = await Promise.all([resolveBase(root, plan.settings), named === undefined ? undefined : ask(named)]);
  if (!base.ok) return { ok: false, outcome: failed(base) };
  const answers = early ?? (await ask(base.value));
  const ids = new Set<string>();
  for (const [index, answer] of answers.entries()) {
    if (!answer.ok) return { ok: false, outcome: failed(answer) };
    if (answer.value) ids.add(stages[index].id);
  }
  return { ok: true, ids };
}
