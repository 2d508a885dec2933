import type { PlanSettings } from '../core/model';
import { resolveCommit } from '../git/branch';
import { detectBaseBranch } from '../git/repository';
import { fail, ok, type GitResult } from '../git/result';

/**
 * The base branch stages start from and merge into: the option given, else `baseBranch` of
 * stages.yaml, else detected from git. A named base must exist, so a typo is reported here,
 * naming where it came from, not as a git error halfway through a command.
 */
export async function resolveBase(root: string, settings: Pick<PlanSettings, 'baseBranch' | 'file'>, override?: string): Promise<GitResult<string>> {
  const named = override ?? settings.baseBranch;
  if (named === undefined) return detectBaseBranch(root);
  const commit = await resolveCommit(root, named);
  if (commit.ok) return ok(named);
  const source = override !== undefined ? '--base' : `baseBranch in ${settings.file}`;
  return fail(`The base branch "${named}" (from ${source}) does not exist`, 'Name an existing branch, or leave it out to detect the base from git.', { kind: 'not-found' });
}
