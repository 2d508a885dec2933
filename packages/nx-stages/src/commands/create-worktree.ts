import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { portOf } from '../core/env-local';
import type { Plan, Stage } from '../core/model';
import { allocatePort } from '../core/ports';
import { isInside, stageBranch, stageWorktreePath } from '../core/worktree-layout';
import { branchExists, deleteBranch } from '../git/branch';
import { excludeLocally, ignoredEntries, isIgnored } from '../git/ignored';
import { integrate } from '../git/integrate';
import { withLock } from '../git/lock';
import { openRepository, type Repository } from '../git/repository';
import type { GitResult } from '../git/result';
import { stageMerged } from '../git/stage-merged';
import { addWorktree } from '../git/worktree-add';
import { listWorktrees, mainCheckout, type WorktreeEntry } from '../git/worktree-list';
import { removeWorktree } from '../git/worktree-remove';
import { resolveBase } from './resolve-base';
import { copyInto, filesToCopy, setUpDependencies, writeEnvLocal } from './worktree-setup';

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

/** A failure the user can act on; the message names what to do. */
export class WorktreeError extends Error {}

/**
 * Creates the branch and worktree of a stage, ready to run Nx. All or nothing: a failure at any
 * step removes exactly what this call created (worktree, folder, branch) and nothing else.
 * Runs under a repository-wide lock, so parallel creations never pick the same port.
 */
export async function createWorktree(workspaceRoot: string, plan: Plan, id: string, options: CreateWorktreeOptions = {}): Promise<CreatedWorktree> {
  const log = options.log ?? (() => undefined);
  const stage = findStage(plan, id);
  const repository = must(await openRepository(workspaceRoot));
  const branch = stageBranch(plan.settings, id);

  return withLock(repository.commonDir, 'worktrees', async () => {
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
    if (isInside(path, root)) throw new WorktreeError(`${path} is inside the workspace; set worktreeDir in ${plan.settings.file} to a folder outside it.`);
    const base = must(resolvedBase);
    const startPoints = await startPointsFor(root, plan, stage, base, Boolean(options.stack));
    // A branch of this stage that already exists (pushed by a colleague, or kept after its
    // worktree was removed) is checked out as it is, and never deleted by a rollback.
    const createBranch = !must(branchFound);
    const folderExisted = existsSync(path);
    const created = must(await addWorktree(root, { path, branch, startPoint: startPoints[0], createBranch }));
    log(createBranch ? `created branch ${branch} from ${startPoints[0]}` : `checked out the existing branch ${branch}`);
    log(`created worktree ${created.path}`);
    try {
      // An existing branch already has its history; only a new one is stacked on several branches.
      for (const other of createBranch ? startPoints.slice(1) : []) {
        must(await integrate(created.path, other, 'merge', `Stack ${branch} on ${other}`));
        log(`merged ${other} into ${branch} (stacked on all its dependencies)`);
      }
      const ignored = must(await ignoredEntries(root));
      const copied = await filesToCopy(root, ignored, plan.settings.copyIgnored);
      await copyInto(root, created.path, copied);
      if (copied.length > 0) log(`copied ${copied.join(', ')}`);
      log(await setUpDependencies(root, created.path, ignored, options.dependencies ?? plan.settings.dependencies));
      // The list read under the lock is current: other creations wait for it.
      const port = allocatePort(plan.settings, portsInUse(worktrees));
      await writeEnvLocal(created.path, { id, name: stage.name, branch, port });
      // Nx writes its cache and workspace data inside the worktree as soon as it runs there.
      await ensureIgnored(repository, created.path, ['.env.local', 'node_modules', '.nx/cache', '.nx/workspace-data']);
      log(`wrote .env.local (STAGE_ID=${id}, PORT=${port})`);
      return { path: created.path, branch, base, startPoint: startPoints[0], port, createdBranch: createBranch };
    } catch (error) {
      await undo(root, created.path, createBranch ? branch : undefined, folderExisted);
      throw error instanceof WorktreeError ? error : new WorktreeError(`${error instanceof Error ? error.message : String(error)}. Nothing was left behind.`);
    }
  });
}

/** The stage `id` of the plan, or an error listing the stages there are. */
export function findStage(plan: Plan, id: string): Stage {
  const stage = plan.stages.find((candidate) => candidate.id === id);
  if (stage) return stage;
  const known = plan.stages.map((candidate) => candidate.id).join(', ') || 'none yet';
  throw new WorktreeError(`No stage ${JSON.stringify(id)} in ${plan.settings.file} (stages: ${known}). Create it with \`nx g nx-stages:stage\`.`);
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
    throw new WorktreeError(
      `Stage ${stage.id} depends on ${unmerged.join(', ')}, not merged into ${base} yet. ` +
        `Merge ${unmerged.length === 1 ? 'it' : 'them'} first, or pass --stack to build on ${unmerged.length === 1 ? 'its branch' : 'their branches'}.`,
    );
  }
  return unmerged.map((dependency) => stageBranch(plan.settings, dependency));
}

/** Ports recorded in the `.env.local` of the repository's worktrees. */
function portsInUse(worktrees: readonly WorktreeEntry[]): number[] {
  const ports: number[] = [];
  for (const worktree of worktrees) {
    const file = join(worktree.path, '.env.local');
    if (!existsSync(file)) continue;
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

/** Removes what createWorktree made. Symlinked node_modules go as links; their targets stay. */
async function undo(root: string, path: string, createdBranch: string | undefined, folderExisted: boolean): Promise<void> {
  await removeWorktree(root, path, { force: true });
  if (createdBranch) await deleteBranch(root, createdBranch, { force: true });
  if (!folderExisted && existsSync(path)) rmSync(path, { recursive: true, force: true });
}

function must<T>(result: GitResult<T>): T {
  if (!result.ok) throw new WorktreeError(result.hint ? `${result.message}. ${result.hint}` : result.message);
  return result.value;
}
