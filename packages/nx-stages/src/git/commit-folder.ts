import { resolveCommit } from './branch';
import { fail, ok, type GitResult } from './result';
import { gitText, runGit } from './run';

/**
 * Commits one folder's changes in the checkout at `dir`, nothing else (a pathspec-limited
 * commit: whatever else is staged stays staged and out of this commit). Returns the new HEAD,
 * or undefined when the folder had nothing to commit.
 */
export async function commitFolder(dir: string, folder: string, subject: string, body: string): Promise<GitResult<string | undefined>> {
  const added = await gitText(dir, ['add', '--all', '--', folder], `Check that ${folder} is not ignored by .gitignore.`);
  if (!added.ok) return added;
  const staged = await runGit(dir, ['diff', '--cached', '--name-only', '--', folder]);
  if (!staged.ok) return staged;
  if (staged.value.stdout.trim() === '') return ok(undefined);
  const committed = await gitText(dir, ['commit', '--no-verify', '-m', subject, '-m', body, '--', folder], 'Check git user.name and user.email.');
  if (!committed.ok) return committed;
  return resolveCommit(dir, 'HEAD');
}

/** Points annotated tag `name` at `commit`, moving it when it exists; says whether it moved. */
export async function setTag(dir: string, name: string, commit: string, message: string): Promise<GitResult<'created' | 'moved' | 'unchanged'>> {
  const existing = await resolveCommit(dir, `refs/tags/${name}`);
  if (existing.ok && existing.value === commit) return ok('unchanged');
  const tagged = await runGit(dir, ['tag', '--annotate', '--force', '--message', message, '--', name, commit]);
  if (!tagged.ok) return tagged;
  if (tagged.value.exitCode !== 0) return fail(`Could not tag ${commit.slice(0, 7)} as ${name}: ${tagged.value.stderr.trim()}`);
  return ok(existing.ok ? 'moved' : 'created');
}
