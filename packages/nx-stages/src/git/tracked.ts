import { ok, type GitResult } from './result';
import { gitText } from './run';

/** Which of `paths` (relative to the checkout at `dir`) git tracks there, in one `git ls-files`. */
export async function trackedAmong(dir: string, paths: readonly string[]): Promise<GitResult<Set<string>>> {
  const listed = await gitText(dir, ['ls-files', '-z', '--', ...paths]);
  if (!listed.ok) return listed;
  return ok(new Set(listed.value.split('\0').filter(Boolean)));
}
