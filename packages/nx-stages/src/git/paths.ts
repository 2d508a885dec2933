import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * A path as git records it: absolute, symlinks resolved (git stores worktree paths resolved, so
 * /tmp/x and /private/tmp/x on macOS must compare equal). A path that does not exist yet is only
 * made absolute.
 */
export function canonicalPath(p: string, base = process.cwd()): string {
  const absolute = resolve(base, p);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute; // does not exist (yet): nothing to resolve
  }
}

export function samePath(a: string, b: string): boolean {
  return canonicalPath(a) === canonicalPath(b);
}
