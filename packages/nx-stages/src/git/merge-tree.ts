import { fail, ok, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';

/** What merging two commits would give, computed without touching a checkout, the index or a ref. */
export interface MergeForecast {
  clean: boolean;
  /** The merged tree (with conflict markers in conflicted files): what a chained simulation builds on. */
  tree: string;
  /** Paths git could not merge, each once; empty when clean. */
  conflictedFiles: string[];
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Forecasts merging `theirs` into `ours` with `git merge-tree --write-tree` (git ≥ 2.38): a real
 * merge (renames, directory/file clashes, modify/delete) done in memory. It writes objects to the
 * object store (unreferenced, removed by gc) and nothing else.
 * Output with --name-only -z: `<tree>\0` then `<path>\0` per conflicted file. Exit 0 = clean,
 * 1 = conflicts — but git 2.39 also exits 1 for a name it cannot resolve (and prints no tree),
 * so a missing tree id is an error, not a conflict.
 */
export async function mergeTreeCheck(dir: string, ours: string, theirs: string): Promise<GitResult<MergeForecast>> {
  const refused = [ours, theirs].find((ref) => ref === '' || ref.startsWith('-'));
  if (refused !== undefined) return fail(`"${refused}" is not a commit to forecast a merge of`, 'Pass a branch name or a commit SHA.', { kind: 'invalid-input' });
  const ran = await runGit(dir, ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs]);
  if (!ran.ok) return ran;
  const [tree, ...files] = ran.value.stdout.split('\0');
  const { exitCode } = ran.value;
  if ((exitCode !== 0 && exitCode !== 1) || !OBJECT_ID.test(tree ?? '')) {
    const said = gitSaid(ran.value);
    const hint = /unrelated histories/.test(said)
      ? `${ours} and ${theirs} share no history, so git cannot merge them.`
      : /not something we can merge/.test(said)
        ? 'Check the branch names with `git branch`.'
        : '`git merge-tree --write-tree` needs git 2.38 or newer (`git --version`).';
    return fail(`Could not forecast merging ${theirs} into ${ours} in ${dir}: ${said}`, hint);
  }
  const conflictedFiles = exitCode === 1 ? [...new Set(files.filter(Boolean))] : [];
  return ok({ clean: exitCode === 0, tree, conflictedFiles });
}

/**
 * Many forecasts in one git process (`merge-tree --stdin`, git ≥ 2.38): one line `<a> <b>` per
 * merge in, one record per merge out — `<1 clean | 0 conflicted>\0<tree>\0<path>\0…\0` ending in an
 * empty field. Starting a process costs more than a small merge, so for many pairs this is an
 * order of magnitude faster than one `mergeTreeCheck` each. Pass object ids: names may contain
 * spaces, and an unknown one stops the whole batch (git exits 1 and prints nothing).
 */
export async function mergeTreeBatch(dir: string, merges: ReadonlyArray<readonly [string, string]>): Promise<GitResult<MergeForecast[]>> {
  if (merges.length === 0) return ok([]);
  const refused = merges.flat().find((id) => !OBJECT_ID.test(id));
  if (refused !== undefined) return fail(`"${refused}" is not an object id (40 or 64 hex digits)`, 'Resolve names to SHAs first.', { kind: 'invalid-input' });
  const input = merges.map(([ours, theirs]) => `${ours} ${theirs}\n`).join('');
  const ran = await runGit(dir, ['merge-tree', '--stdin', '--name-only', '--no-messages', '-z'], { input });
  if (!ran.ok) return ran;
  if (ran.value.exitCode !== 0) {
    const said = gitSaid(ran.value);
    return fail(
      `Could not forecast ${merges.length} merges in ${dir}: ${said}`,
      /unrelated histories/.test(said) ? 'Two of the branches share no history.' : '`git merge-tree --stdin` needs git 2.38 or newer (`git --version`).',
    );
  }
  const fields = ran.value.stdout.split('\0');
  const results: MergeForecast[] = [];
  let at = 0;
  while (results.length < merges.length) {
    const [status, tree] = [fields[at], fields[at + 1]];
    if ((status !== '0' && status !== '1') || !OBJECT_ID.test(tree ?? '')) break;
    at += 2;
    const files: string[] = [];
    while (at < fields.length && fields[at] !== '') files.push(fields[at++]);
    at++; // the empty field that ends the record
    results.push({ clean: status === '1', tree, conflictedFiles: [...new Set(files)] });
  }
  if (results.length !== merges.length) {
    return fail(
      `Unexpected answer from git merge-tree --stdin in ${dir}: ${results.length} results for ${merges.length} merges`,
      'Check `git --version` (2.38 or newer is needed).',
    );
  }
  return ok(results);
}

/**
 * An unreferenced merge commit of `tree` with the given parents, so the next forecast can merge
 * onto it (merge-tree in git 2.39 merges commits, not trees). `commit-tree` writes one object and
 * touches no ref, checkout or index. A fixed identity: the commit is never shown or kept, and a
 * repository without user.name must not make the forecast fail.
 */
export async function simulatedMergeCommit(dir: string, tree: string, parents: readonly string[], message: string): Promise<GitResult<string>> {
  const refused = [tree, ...parents].find((id) => !OBJECT_ID.test(id));
  if (refused !== undefined) return fail(`"${refused}" is not an object id (40 or 64 hex digits)`, 'Pass resolved SHAs, not names.', { kind: 'invalid-input' });
  const created = await gitText(dir, [
    '-c',
    'user.name=nx-stages forecast',
    '-c',
    'user.email=forecast@nx-stages.invalid',
    'commit-tree',
    tree,
    ...parents.flatMap((parent) => ['-p', parent]),
    '-m',
    message,
  ]);
  if (!created.ok) return created;
  const commit = created.value.trim();
  return OBJECT_ID.test(commit) ? ok(commit) : fail(`Unexpected answer from git commit-tree in ${dir}: ${created.value}`);
}

/** The best common ancestor of two commits, or undefined when they share no history. */
export async function mergeBase(dir: string, first: string, second: string): Promise<GitResult<string | undefined>> {
  const refused = [first, second].find((ref) => ref === '' || ref.startsWith('-'));
  if (refused !== undefined) return fail(`"${refused}" is not a commit`, 'Pass a branch name or a commit SHA.', { kind: 'invalid-input' });
  const ran = await runGit(dir, ['merge-base', first, second]);
  if (!ran.ok) return ran;
  // Exit 1 with no output = no common ancestor; anything else non-zero is an error.
  if (ran.value.exitCode === 1 && ran.value.stdout.trim() === '' && ran.value.stderr.trim() === '') return ok(undefined);
  if (ran.value.exitCode !== 0) return fail(`Could not find the merge base of ${first} and ${second} in ${dir}: ${gitSaid(ran.value)}`);
  return ok(ran.value.stdout.trim());
}

/**
 * Paths that differ between `from` and `to` (both commits), repository-relative. Renames are
 * listed as the deleted and the added path: removing a file is a change to it too. Explicit
 * flags so that diff.renames or diff.relative in the user's config change nothing.
 */
export async function changedFiles(dir: string, from: string, to: string): Promise<GitResult<string[]>> {
  const refused = [from, to].find((ref) => ref === '' || ref.startsWith('-'));
  if (refused !== undefined) return fail(`"${refused}" is not a commit`, 'Pass a branch name or a commit SHA.', { kind: 'invalid-input' });
  const listed = await gitText(dir, ['diff', '--name-only', '-z', '--no-renames', '--no-relative', '--no-ext-diff', from, to, '--']);
  if (!listed.ok) return listed;
  return ok(listed.value.split('\0').filter(Boolean));
}

/**
 * The paths that differ between each pair of trees, repository-relative, in one git process
 * (`diff-tree --stdin`) instead of one `git diff` each. Renames are listed as the deleted and
 * the added path, as in changedFiles. With -z git answers each `<a> <b>` line with that line
 * (newline-ended), then one NUL-ended path per difference.
 */
export async function changedFilesBatch(dir: string, pairs: ReadonlyArray<readonly [string, string]>): Promise<GitResult<string[][]>> {
  if (pairs.length === 0) return ok([]);
  const refused = pairs.flat().find((id) => !OBJECT_ID.test(id));
  if (refused !== undefined) return fail(`"${refused}" is not an object id (40 or 64 hex digits)`, 'Resolve names to SHAs first.', { kind: 'invalid-input' });
  const headers = pairs.map(([a, b]) => `${a} ${b}\n`);
  const listed = await gitText(dir, ['diff-tree', '--stdin', '-r', '--name-only', '-z', '--no-renames', '--no-relative', '--no-ext-diff'], undefined, headers.join(''));
  if (!listed.ok) return listed;
  const out = listed.value;
  const results: string[][] = [];
  let at = 0;
  for (const [index, header] of headers.entries()) {
    if (!out.startsWith(header, at)) return fail(`Unexpected answer from git diff-tree --stdin in ${dir} at pair ${index + 1} of ${pairs.length}`);
    at += header.length;
    const files: string[] = [];
    const next = headers[index + 1];
    while (at < out.length && !(next !== undefined && out.startsWith(next, at))) {
      const end = out.indexOf('\0', at);
      if (end === -1) break;
      files.push(out.slice(at, end));
      at = end + 1;
    }
    results.push(files);
  }
  return ok(results);
}

/** The tree of a commit (its SHA), for comparing a merge result with it. */
export async function treeOf(dir: string, commit: string): Promise<GitResult<string>> {
  if (!OBJECT_ID.test(commit)) return fail(`"${commit}" is not an object id (40 or 64 hex digits)`, 'Resolve names to SHAs first.', { kind: 'invalid-input' });
  const parsed = await gitText(dir, ['rev-parse', '--verify', `${commit}^{tree}`]);
  if (!parsed.ok) return parsed;
  const tree = parsed.value.trim();
  return OBJECT_ID.test(tree) ? ok(tree) : fail(`Unexpected answer from git rev-parse in ${dir}: ${parsed.value}`);
}
