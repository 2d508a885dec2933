import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveCommit } from './branch';
import { fail, ok, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';

/**
 * Commits one folder's changes in the checkout at `dir`, nothing else (a pathspec-limited
 * commit: whatever else is staged stays staged and out of this commit). Returns the new HEAD,
 * or undefined when the folder had nothing to commit.
 *
 * Every file in the folder is committed even when the user's .gitignore matches it (`reports`,
 * `*.json`): a proof missing its evidence could never be verified. So each file is force-added by
 * its exact literal path — never the folder with --force, which could sweep in anything else.
 * `sign` signs the commit with git's own signing (user.signingkey, gpg.format).
 */
export async function commitFolder(dir: string, folder: string, subject: string, body: string, options: { sign?: boolean } = {}): Promise<GitResult<string | undefined>> {
  const files = await filesIn(dir, folder);
  if (!files.ok) return files;
  // Tracked files first: their edits and deletions (--update never adds a new file).
  const updated = await gitText(dir, ['add', '--update', '--', folder]);
  if (!updated.ok) return updated;
  if (files.value.length > 0) {
    const added = await runGit(dir, ['--literal-pathspecs', 'add', '--force', '--pathspec-from-file=-', '--pathspec-file-nul'], {
      input: files.value.map((file) => `${file}\0`).join(''),
    });
    if (!added.ok) return added;
    if (added.value.exitCode !== 0) return fail(`Could not add the files of ${folder} in ${dir}: ${gitSaid(added.value)}`);
  }
  const staged = await runGit(dir, ['diff', '--cached', '--name-only', '--', folder]);
  if (!staged.ok) return staged;
  if (staged.value.stdout.trim() === '') return ok(undefined);
  const sign = options.sign ? ['--gpg-sign'] : [];
  const committed = await gitText(
    dir,
    ['commit', '--no-verify', ...sign, '-m', subject, '-m', body, '--', folder],
    options.sign ? 'Check git user.name, user.email and user.signingkey.' : 'Check git user.name and user.email.',
  );
  if (!committed.ok) return committed;
  return resolveCommit(dir, 'HEAD');
}

/** The files under `folder` (checkout-relative, `/`-separated), as the proof's manifest counts them: regular files only. */
async function filesIn(dir: string, folder: string): Promise<GitResult<string[]>> {
  const files: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  try {
    await walk(folder);
    return ok(files.sort());
  } catch (error) {
    return fail(`Could not read ${join(dir, folder)}: ${error instanceof Error ? error.message : String(error)}`, 'Check that the folder exists and is readable.');
  }
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
