import { gitText } from './run';
import { ok, type GitResult } from './result';

export interface WorktreeEntry {
  /** Absolute path as git records it. */
  path: string;
  /** Commit checked out; undefined in a bare entry or on an unborn branch. */
  head?: string;
  /** Short branch name (without refs/heads/); undefined when detached or bare. */
  branch?: string;
  detached: boolean;
  bare: boolean;
  locked: boolean;
  /** Its folder is gone; `git worktree prune` would forget it. */
  prunable: boolean;
}

const UNBORN = /^0{40}$/;

/** Every worktree git knows, the main one first — read from git, never from a registry of ours. */
export async function listWorktrees(root: string): Promise<GitResult<WorktreeEntry[]>> {
  // -z: one NUL per attribute line and an empty field between records, so paths containing
  // spaces or newlines arrive intact.
  const listed = await gitText(root, ['worktree', 'list', '--porcelain', '-z']);
  if (!listed.ok) return listed;
  return ok(parseWorktreeList(listed.value));
}

/** The main checkout's path: git lists it first. Undefined for a bare repository. */
export function mainCheckout(worktrees: readonly WorktreeEntry[]): string | undefined {
  const first = worktrees[0];
  return first && !first.bare ? first.path : undefined;
}

export function parseWorktreeList(porcelainZ: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of porcelainZ.split('\0')) {
    if (field === '') {
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      current = { path: value, detached: false, bare: false, locked: false, prunable: false };
      entries.push(current);
      continue;
    }
    if (!current) continue;
    if (key === 'HEAD' && !UNBORN.test(value)) current.head = value;
    else if (key === 'branch') current.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'detached') current.detached = true;
    else if (key === 'bare') current.bare = true;
    else if (key === 'locked') current.locked = true;
    else if (key === 'prunable') current.prunable = true;
  }
  return entries;
}

/** Forgets worktrees whose folders were deleted by hand (`git worktree prune`). */
export async function pruneWorktrees(root: string): Promise<GitResult<void>> {
  const pruned = await gitText(root, ['worktree', 'prune'], 'Check the repository with `git worktree list`.');
  return pruned.ok ? ok(undefined) : pruned;
}
