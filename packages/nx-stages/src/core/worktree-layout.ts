import { basename, isAbsolute, join, normalize } from 'node:path/posix';
import type { PlanSettings } from './model';

/** Branch of a stage, from the plan's pattern (`stage-{id}` by default). */
export function stageBranch(settings: Pick<PlanSettings, 'branchPattern'>, id: string): string {
  return settings.branchPattern.replaceAll('{id}', id);
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
