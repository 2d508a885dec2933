import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { portOf } from '../core/env-local';
import type { Plan, Stage } from '../core/model';
import { allocatePort } from '../core/ports';
import { isInside, stageBranch, stageWorktreePath } from '../core/worktree-layout';
import { branchExists, deleteBranch, resolveCommit } from '../git/branch';
import { recordCreatedBranch, wasCreatedByStages } from '../io/created-branches';
import { stageBranchRefusal } from './stage-branch-check';
import { excludeLocally, ignoredEntries, isIgnored } from '../git/ignored';
import { integrate, type Integrated } from '../git/integrate';
import { interruptedBy, interruptible, InterruptedError, throwIfInterrupted } from '../git/interrupts';
import { startJournal } from '../git/journal';
import { withLock } from '../git/lock';
import { openRepository, type Repository } from '../git/repository';
import { stageMerged } from '../git/stage-merged';
import { addWorktree, CLEANUP_FAILED } from '../git/worktree-add';
import { listWorktrees, mainCheckout, type WorktreeEntry } from '../git/worktree-list';
import { removeWorktree } from '../git/worktree-remove';
import { resolveBase } from './resolve-base';
import { repairWorktrees, worktreeJournalKey, type WorktreeJournal } from './worktree-repair';
import { copyInto, filesToCopy, setUpDependencies, writeEnvLocal } from './worktree-setup';
import { type GitResult } from '../git/result';
import { done, failed, failureText, type Failure, type Outcome } from '../core/outcome';
import { unknownStage } from './unknown-stage';

export interface CreateWorktreeOptions {
  base?: string;
  stack?: boolean;
  dependencies?: Plan['settings']['dependencies'];
  log?: (line: string) => void;
}

export interface CreatedWorktree {
  path: string;
  branch: string;
  base: string;
  startPoint: string;
  port: number;
  createdBranch: boolean;
}

/**
 * Inside a creation, a failure is thrown (it must unwind through the undo, the journal and the
 * lock); createWorktree turns it back into the failed outcome it carries.
 */
class WorktreeError extends Error {
  constructor(readonly failure: Failure) {
    super(failureText(failure));
  }
}

/**
 * Creates the branch and worktree of a stage, ready to run Nx. All or nothing: a failure at any
 * step removes exactly what this call created (worktree, folder, branch) and nothing else.
 * Runs under a repository-wide lock, so parallel creations never pick the same port.
 * Ctrl+C (SIGINT/SIGTERM) counts as such a failure; a creation killed outright is journaled, and
 * the next creation removes what it had made (worktree-repair.ts). Expected failures come back
 * as a failed outcome (kind, message naming the path or branch, hint); nothing is thrown for them.
 */
export async function createWorktree(workspaceRoot: string, plan: Plan, id: string, options: CreateWorktreeOptions = {}): Promise<Outcome<CreatedWorktree>> {
  const stage = plan.stages.find((candidate) => candidate.id === id);
  if (!stage) return unknownStage(plan, id);
  try {
    const created = await create(workspaceRoot, plan, stage, options);
    return done(created.path, created);
  } catch (error) {
    if (error instanceof WorktreeError) return failed(error.failure);
    throw error;
  }
}

async function create(workspaceRoot: string, plan: Plan, stage: Stage, options: CreateWorktreeOptions): Promise<CreatedWorktree> {
  const { id } = stage;
  const log = options.log ?? (() => undefined);
  const repository = must(await openRepository(workspaceRoot));
  const branch = stageBranch(plan.settings, id);

  let started = false;
  return interruptible(() =>
    withLock(repository.commonDir, 'worktrees', async () => {
      for (const repaired of await repairWorktrees(repository.root, repository.commonDir)) log(repaired);
      // Independent reads go to git at once: every git call costs a process start. Refs and
      // config are shared by all worktrees, so any checkout answers.
      const [listed, resolvedBase, branchFound] = await Promise.all([
        listWorktrees(repository.root),
        resolveBase(repository.root, plan.settings, options.base),
        branchExists(repository.root, branch),
      ]);
      const worktrees = must(listed);
      // Run from a stage worktree too (an agent starting the next stage), the new one goes beside
      // the main checkout and gets the main checkout's dependencies and ignored files.
      const root = mainCheckout(worktrees) ?? repository.root;
      const path = stageWorktreePath(plan.settings, id, root);
      if (isInside(path, root)) {
        throw new WorktreeError({ kind: 'invalid-input', message: `${path} is inside the workspace`, hint: `Set worktreeDir in ${plan.settings.file} to a folder outside it.` });
      }
      const base = must(resolvedBase);
      const unsafe = await stageBranchRefusal(root, plan, id, base);
      if (unsafe) throw new WorktreeError(unsafe);
      const startPoints = await startPointsFor(root, plan, stage, base, Boolean(options.stack));
      // A branch of this stage that already exists (pushed by a colleague, or kept after its
      // worktree was removed) is checked out as it is, and never deleted by a rollback.
      const createBranch = !must(branchFound);
      const folderExisted = existsSync(path);
      // Written before the first change, removed at the end: what a killed call leaves is known to be ours.
      const start = must(await resolveCommit(root, createBranch ? startPoints[0] : `refs/heads/${branch}`));
      const record: WorktreeJournal = { id, path, branch, createBranch, tips: [start], folderExisted };
      const journal = await startJournal(repository.commonDir, worktreeJournalKey(id), 'worktree', record);
      started = true;
      let keepJournal = false;
      try {
        const added = await addWorktree(root, { path, branch, startPoint: start, createBranch });
        if (!added.ok) keepJournal = added.message.includes(CLEANUP_FAILED); // then the next call tries again
        if (!added.ok && added.interrupted) throw new WorktreeError(added);
        const created = must(added);
        const ours = createBranch || (await wasCreatedByStages(repository.commonDir, branch));
        log(
          createBranch
            ? `created branch ${branch} from ${startPoints[0]}`
            : `checked out the existing branch ${branch}${ours ? '' : ' (nx-stages did not create it, so clean will not delete it)'}`,
        );
        log(`created worktree ${created.path}`);
        try {
          // An existing branch already has its history; only a new one is stacked on several branches.
          for (const other of createBranch ? startPoints.slice(1) : []) {
            throwIfInterrupted('while stacking the branch');
            const stacked = must(await stackOn(created.path, branch, other, startPoints[0]));
            if (stacked.changed) {
              record.tips.push(stacked.head);
              await journal.update(record);
            }
            log(`merged ${other} into ${branch} (stacked on all its dependencies)`);
          }
          throwIfInterrupted('while setting up the worktree');
          const ignored = must(await ignoredEntries(root));
          const copied = await filesToCopy(root, ignored, plan.settings.copyIgnored);
          await copyInto(root, created.path, copied);
          if (copied.length > 0) log(`copied ${copied.join(', ')}`);
          throwIfInterrupted('while setting up the worktree');
          log(await setUpDependencies(root, created.path, ignored, options.dependencies ?? plan.settings.dependencies));
          throwIfInterrupted('while setting up the worktree');
          // The list read under the lock is current: other creations wait for it.
          const port = allocatePort(plan.settings, portsInUse(worktrees));
          await writeEnvLocal(created.path, { id, name: stage.name, branch, port });
          // Nx writes its cache and workspace data inside the worktree as soon as it runs there.
          await ensureIgnored(repository, created.path, ['.env.local', 'node_modules', '.nx/cache', '.nx/workspace-data']);
          log(`wrote .env.local (STAGE_ID=${id}, PORT=${port})`);
          if (createBranch) await recordCreatedBranch(repository.commonDir, branch, start);
          return { path: created.path, branch, base, startPoint: startPoints[0], port, createdBranch: createBranch };
        } catch (error) {
          const left = await undo(root, created.path, createBranch ? branch : undefined, folderExisted);
          keepJournal = left.length > 0;
          throw new WorktreeError(undoneFailure(error, interruptedBy(), created.path, createBranch ? branch : undefined, left));
        }
      } finally {
        if (!keepJournal) await journal.remove();
      }
    }).catch((error: unknown) => {
      // Interrupted before the first change (waiting for the lock, or a read git was stopped in).
      if (error instanceof InterruptedError) throw new WorktreeError({ kind: 'interrupted', message: error.message, interrupted: error.signal });
      const signal = interruptedBy();
      if (signal && !started) throw new WorktreeError({ kind: 'interrupted', message: `Interrupted (${signal}) before anything was created`, interrupted: signal });
      throw error;
    }),
  );
}

/** The failure after an undo: the cause, then what was removed or, if anything could not be, what is left. */
function undoneFailure(error: unknown, signal: string | undefined, path: string, branch: string | undefined, left: string[]): Failure {
  const removed = `removed the worktree ${path}${branch ? ` and the branch ${branch}` : ''} this call had created`;
  const after = left.length === 0 ? `${removed}; nothing was left behind` : `could not remove everything (${left.join('; ')}); the next \`worktree\` call will try again`;
  if (signal) return { kind: 'interrupted', message: `Interrupted (${signal}) while creating the worktree: ${after}`, interrupted: signal };
  const cause: Failure = error instanceof WorktreeError ? error.failure : { kind: 'unexpected', message: messageOf(error) };
  return { ...cause, message: `${cause.message.replace(/\.$/, '')}; ${after}` };
}

/**
 * Merges another unmerged dependency's branch into the new stage branch. A conflict is between
 * the dependencies' branches: the worktree is removed again, so the hint says where to resolve it.
 */
async function stackOn(worktree: string, branch: string, other: string, first: string): Promise<GitResult<Integrated>> {
  const stacked = await integrate(worktree, other, 'merge', `Stack ${branch} on ${other}`);
  if (stacked.ok || !stacked.conflicts?.length) return stacked;
  return {
    ...stacked,
    message: `Stacking ${branch} on ${first} and ${other} conflicts in ${stacked.conflicts.join(', ')}`,
    hint: `Bring ${other} into ${first} and resolve it there (or merge one of them first), then create the worktree again.`,
  };
}

/**
 * Where the stage branch starts. Without --stack every dependency must already be merged into
 * the base. With --stack, unmerged dependencies' branches are the start: the first one, and the
 * others merged on top.
 */
async function startPointsFor(root: string, plan: Plan, stage: Stage, base: string, stack: boolean): Promise<string[]> {
  const unmerged: string[] = [];
  for (const dependency of stage.dependsOn) {
    const branch = stageBranch(plan.settings, dependency);
    if (!must(await stageMerged(root, { id: dependency, branch }, base))) unmerged.push(dependency);
  }
  if (unmerged.length === 0) return [base];
  if (!stack) {
    throw new WorktreeError({
      kind: 'refused',
      message: `Stage ${stage.id} depends on ${unmerged.join(', ')}, not merged into ${base} yet`,
      hint: `Merge ${unmerged.length === 1 ? 'it' : 'them'} first, or pass --stack to build on ${unmerged.length === 1 ? 'its branch' : 'their branches'}.`,
    });
  }
  return unmerged.map((dependency) => stageBranch(plan.settings, dependency));
}

/** Ports recorded in the `.env.local` of the repository's worktrees. */
function portsInUse(worktrees: readonly WorktreeEntry[]): number[] {
  const ports: number[] = [];
  for (const worktree of worktrees) {
    const file = join(worktree.path, '.env.local');
    // A folder of that name (tracked by someone) records no port.
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    const port = portOf(readFileSync(file, 'utf8'));
    if (port !== undefined) ports.push(port);
  }
  return ports;
}

/** What we write into a worktree must never show up as a change to commit. */
async function ensureIgnored(repository: Repository, worktree: string, entries: string[]): Promise<void> {
  const ignored = await Promise.all(entries.map(async (entry) => must(await isIgnored(worktree, entry))));
  const missing = entries.filter((_, index) => !ignored[index]).map((entry) => `/${entry}`);
  if (missing.length > 0) must(await excludeLocally(repository.commonDir, missing));
}

/** Removes what createWorktree made; returns what could not be removed. Symlinked node_modules go as links; their targets stay. */
async function undo(root: string, path: string, createdBranch: string | undefined, folderExisted: boolean): Promise<string[]> {
  const left: string[] = [];
  const removed = await removeWorktree(root, path, { force: true });
  if (!removed.ok) left.push(removed.message);
  if (createdBranch) {
    const deleted = await deleteBranch(root, createdBranch, { force: true });
    if (!deleted.ok) left.push(deleted.message);
  }
  if (!folderExisted && existsSync(path)) rmSync(path, { recursive: true, force: true });
  return left;
}

/** An error's message; Node's own errors (fs, child_process) may come from another realm, so no instanceof. */
function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as Error).message === 'string' ? (error as Error).message : String(error);
}

function must<T>(result: GitResult<T>): T {
  if (!result.ok) throw new WorktreeError(result);
  return result.value;
}
