import { basename, isAbsolute, join, normalize } from 'node:path/posix';
import { invalidIdReason } from './ids';
import type { PlanSettings } from './model';

/** Branch of a stage, from the plan's pattern (`stage-{id}` by default). */
export function stageBranch(settings: Pick<PlanSettings, 'branchPattern'>, id: string): string {
  return settings.branchPattern.replaceAll('{id}', id);
}

/**
 * The stage id a branch names under the plan's pattern (`stage-9.1` → `9.1`), the inverse of
 * stageBranch; undefined when the branch is no stage's (`main`, `stage-` alone, `stage-a/b`).
 */
export function stageIdOfBranch(settings: Pick<PlanSettings, 'branchPattern'>, branch: string): string | undefined {
  const pieces = settings.branchPattern.split('{id}').map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // A pattern naming {id} twice names it the same both times: a backreference.
  const match = new RegExp(`^${pieces[0]}(.+?)${pieces.slice(1).join('\\1')}$`).exec(branch);
  return match && invalidIdReason(match[1]) === undefined ? match[1] : undefined;
}

/** What a stage branch is judged against: the base branch and the repository's remotes, when known. */
export interface BranchContext {
  base?: string;
  remotes?: readonly string[];
}

/**
 * Names a plain `origin/x` would be mistaken for (`git checkout origin/x`, `git log remotes/origin/x`
 * resolve to the remote-tracking branch): stage branches never start with them.
 */
const REMOTE_LOOKING = ['origin', 'remotes'];

/**
 * Why `branch` must not be a stage's branch, or undefined. A stage branch is created, merged and
 * deleted by nx-stages, so it must never be the base branch, git's HEAD, a full ref (`refs/…`
 * would be refs/heads/refs/…) or look like a remote's branch.
 */
export function unsafeBranchReason(branch: string, context: BranchContext = {}): string | undefined {
  if (branch === 'HEAD') return "would be read as git's HEAD";
  if (context.base !== undefined && branch === context.base) return 'is the base branch';
  if (branch.startsWith('refs/')) return 'must not start with "refs/" (a stage branch is always refs/heads/<name>: write the name alone)';
  const first = branch.split('/')[0];
  if (branch.includes('/') && (REMOTE_LOOKING.includes(first) || context.remotes?.includes(first))) {
    return `looks like a branch of the remote "${first}"`;
  }
  return undefined;
}

/**
 * Worktree folder of a stage: the plan's pattern resolved against the workspace root, with
 * `{repo}` = the workspace folder's name. Always outside the workspace (parse-settings refuses
 * patterns that resolve inside), so Nx never sees a project twice.
 */
export function stageWorktreePath(settings: Pick<PlanSettings, 'worktreeDir'>, id: string, workspaceRoot: string): string {
  const relative = settings.worktreeDir.replaceAll('{repo}', basename(workspaceRoot)).replaceAll('{id}', id);
  return isAbsolute(relative) ? normalize(relative) : join(workspaceRoot, relative);
}

/** True when `path` is the workspace root or inside it. */
export function isInside(path: string, root: string): boolean {
  const normalizedRoot = normalize(root).replace(/\/$/, '');
  const normalizedPath = normalize(path).replace(/\/$/, '');
  return normalizedPath === normalizedRoot || normalizedPath.startsWith(`${normalizedRoot}/`);
}
