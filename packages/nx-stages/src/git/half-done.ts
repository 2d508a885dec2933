import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeTreeCheck } from './merge-tree';
import { fail, ok, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';

/** One merge or rebase nx-stages runs: enough to recognise its half-done state later. */
export interface IntegrationRecord {
  /** The checkout git ran in. */
  checkout: string;
  branch: string;
  /** HEAD before. */
  before: string;
  /** The commit brought in. */
  from: string;
  strategy: 'merge' | 'rebase';
  /** The merge commit's message (`-m`). */
  message?: string;
}

/** untouched: git had changed nothing · undone: put back as before · completed: it had finished (kept). */
export type UndoOutcome = 'untouched' | 'undone' | 'completed';

/**
 * Undoes what `record`'s merge/rebase left in its checkout — only when the state is exactly what
 * that merge/rebase makes, so nothing a person did since is ever undone (a failure says what was
 * found instead). git 2.39 killed in `pre-merge-commit` leaves the merge staged with no MERGE_HEAD:
 * that is recognised by the index holding exactly the tree the merge gives.
 * finished: 'undo' (the interrupted call itself takes back even a completed merge) or 'keep'
 * (a later call: a completed one is the result, left in place).
 */
export async function undoIntegration(record: IntegrationRecord, finished: 'undo' | 'keep'): Promise<GitResult<UndoOutcome>> {
  const { checkout, branch, before, from } = record;
  const state = await readState(checkout);
  if (!state.ok) return state;
  const { head, onBranch, paths } = state.value;
  const notOurs = (what: string) => fail(`${checkout} ${what}, not what the ${record.strategy} of ${from.slice(0, 7)} into ${branch} left: left as it is`);

  const rebaseDir = [paths['rebase-merge'], paths['rebase-apply']].find((dir) => existsSync(dir));
  if (rebaseDir) {
    const read = (name: string) => (existsSync(join(rebaseDir, name)) ? readFileSync(join(rebaseDir, name), 'utf8').trim() : '');
    const ours = record.strategy === 'rebase' && read('head-name') === `refs/heads/${branch}` && read('orig-head') === before && read('onto') === from;
    return ours ? run(record, ['rebase', '--abort']) : notOurs('has a rebase in progress');
  }
  if (existsSync(paths.MERGE_HEAD)) {
    const mergeHead = readFileSync(paths.MERGE_HEAD, 'utf8').trim();
    const subject = existsSync(paths.MERGE_MSG) ? readFileSync(paths.MERGE_MSG, 'utf8').split('\n')[0] : '';
    const ours = record.strategy === 'merge' && onBranch === branch && head === before && mergeHead === from && (record.message === undefined || subject === record.message);
    return ours ? run(record, ['merge', '--abort']) : notOurs('has a merge in progress');
  }
  if (existsSync(paths.CHERRY_PICK_HEAD) || existsSync(paths.REVERT_HEAD)) return notOurs('has a cherry-pick or revert in progress');
  if (onBranch !== branch) return notOurs(`is on ${onBranch ?? 'a detached HEAD'}`);

  const changes = await trackedChanges(checkout);
  if (!changes.ok) return changes;
  if (head === before) {
    if (!changes.value.staged && !changes.value.unstaged) return ok('untouched');
    if (record.strategy !== 'merge' || changes.value.unstaged) return notOurs('has uncommitted changes');
    // Staged, nothing else: ours only if the index is exactly the merge's tree.
    const [index, merged] = await Promise.all([gitText(checkout, ['write-tree']), mergeTreeCheck(checkout, before, from)]);
    if (!index.ok || !merged.ok || !merged.value.clean || index.value.trim() !== merged.value.tree) return notOurs('has staged changes');
    return run(record, ['reset', '--merge']);
  }
  if (!(await isOurResult(record, head))) return notOurs(`has moved on to ${head.slice(0, 7)}`);
  if (finished === 'keep') return ok('completed');
  if (changes.value.staged || changes.value.unstaged) return notOurs('has uncommitted changes after the merge');
  // --keep: refuses rather than lose a change made meanwhile.
  return run(record, ['reset', '--keep', before]);
}

interface CheckoutState {
  head: string;
  onBranch?: string;
  paths: Record<(typeof GIT_PATHS)[number], string>;
}

const GIT_PATHS = ['MERGE_HEAD', 'MERGE_MSG', 'rebase-merge', 'rebase-apply', 'CHERRY_PICK_HEAD', 'REVERT_HEAD'] as const;

async function readState(checkout: string): Promise<GitResult<CheckoutState>> {
  if (!existsSync(checkout)) return fail(`${checkout} no longer exists`);
  const [where, symbolic] = await Promise.all([
    gitText(checkout, ['rev-parse', '--path-format=absolute', 'HEAD', ...GIT_PATHS.flatMap((name) => ['--git-path', name])]),
    runGit(checkout, ['symbolic-ref', '--quiet', 'HEAD']),
  ]);
  if (!where.ok) return where;
  if (!symbolic.ok) return symbolic;
  const [head, ...paths] = where.value.split('\n');
  const ref = symbolic.value.exitCode === 0 ? symbolic.value.stdout.trim() : '';
  return ok({
    head: head.trim(),
    ...(ref.startsWith('refs/heads/') ? { onBranch: ref.slice('refs/heads/'.length) } : {}),
    paths: Object.fromEntries(GIT_PATHS.map((name, index) => [name, paths[index]])) as CheckoutState['paths'],
  });
}

async function trackedChanges(checkout: string): Promise<GitResult<{ staged: boolean; unstaged: boolean }>> {
  const [staged, unstaged] = await Promise.all([
    runGit(checkout, ['diff', '--cached', '--quiet', '--ignore-submodules=none']),
    runGit(checkout, ['diff', '--quiet', '--ignore-submodules=none']),
  ]);
  if (!staged.ok) return staged;
  if (!unstaged.ok) return unstaged;
  return ok({ staged: staged.value.exitCode !== 0, unstaged: unstaged.value.exitCode !== 0 });
}

/** HEAD is what the merge/rebase makes: a fast-forward to `from`, our merge commit, or the rebased branch. */
async function isOurResult(record: IntegrationRecord, head: string): Promise<boolean> {
  if (record.strategy === 'merge') {
    if (head === record.from) return true;
    const parents = await gitText(record.checkout, ['rev-list', '--parents', '-n', '1', head]);
    return parents.ok && parents.value.trim() === `${head} ${record.before} ${record.from}`;
  }
  const [previous, contains] = await Promise.all([
    gitText(record.checkout, ['rev-parse', '--verify', '--quiet', `refs/heads/${record.branch}@{1}`]),
    runGit(record.checkout, ['merge-base', '--is-ancestor', record.from, head]),
  ]);
  return previous.ok && previous.value.trim() === record.before && contains.ok && contains.value.exitCode === 0;
}

/** Runs the undo, then checks the checkout is back: on the branch, at `before`, nothing staged or changed. */
async function run(record: IntegrationRecord, args: string[]): Promise<GitResult<UndoOutcome>> {
  const ran = await runGit(record.checkout, args);
  if (!ran.ok) return ran;
  if (ran.value.exitCode !== 0) return fail(`git ${args.join(' ')} failed in ${record.checkout}: ${gitSaid(ran.value)}`);
  const [state, changes] = await Promise.all([readState(record.checkout), trackedChanges(record.checkout)]);
  if (!state.ok) return state;
  if (!changes.ok) return changes;
  if (state.value.head !== record.before || state.value.onBranch !== record.branch || changes.value.staged || changes.value.unstaged) {
    return fail(`${record.checkout} is not back at ${record.branch} ${record.before.slice(0, 7)} after git ${args[0]}`);
  }
  return ok('undone');
}
