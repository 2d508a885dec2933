import { resolveCommit } from './branch';
import { fail, ok, type GitResult } from './result';
import { gitText } from './run';

/**
 * Paths with uncommitted changes in the checkout at `dir`: staged, unstaged and untracked files;
 * ignored files are not included. Explicit flags so that user config such as
 * status.showUntrackedFiles=no cannot hide work from the check.
 */
export async function uncommittedChanges(dir: string): Promise<GitResult<string[]>> {
  const listed = await gitText(
    dir,
    [
      // --no-optional-locks: a read-only check must not take index.lock while a parallel task
      // in the same worktree writes the index.
      '--no-optional-locks',
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=all',
      '--ignore-submodules=none',
    ],
    'Check that the folder is a git checkout.',
  );
  if (!listed.ok) return listed;
  return ok(parseStatusZ(listed.value));
}

/** `XY path\0`, and for a rename or copy one more field: the original path (which we also name). */
export function parseStatusZ(porcelainZ: string): string[] {
  const fields = porcelainZ.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.length < 4) continue;
    const code = field.slice(0, 2);
    paths.push(field.slice(3));
    if (code.includes('R') || code.includes('C')) {
      const original = fields[++i];
      if (original) paths.push(original);
    }
  }
  return paths;
}

export interface AheadBehind {
  /** Commits on ref that base does not have. */
  ahead: number;
  /** Commits on base that ref does not have. */
  behind: number;
}

export async function aheadBehind(root: string, ref: string, base: string): Promise<GitResult<AheadBehind>> {
  const [refSha, baseSha] = await Promise.all([resolveCommit(root, ref), resolveCommit(root, base)]);
  if (!refSha.ok) return refSha;
  if (!baseSha.ok) return baseSha;
  const counted = await gitText(root, ['rev-list', '--left-right', '--count', `${baseSha.value}...${refSha.value}`]);
  if (!counted.ok) return counted;
  const [behind, ahead] = counted.value.trim().split(/\s+/).map(Number);
  if (!Number.isInteger(behind) || !Number.isInteger(ahead)) return fail(`Unexpected answer from git rev-list in ${root}: ${counted.value}`);
  return ok({ ahead, behind });
}
