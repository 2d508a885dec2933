import { statSync } from 'node:fs';
import { join } from 'node:path';
import { remoteNames } from './repository';
import { fail, ok, type GitFailure, type GitResult } from './result';
import { gitSaid, gitText, runGit } from './run';

/** How one branch's local copy stands to its copy on the remote. */
export type CopyRelation = 'same' | 'local-only' | 'remote-only' | 'local-ahead' | 'local-behind' | 'diverged' | 'none';

export interface BranchCopies {
  branch: string;
  local?: string;
  remote?: string;
  relation: CopyRelation;
}

/**
 * The remote the plan works with: `none` → none; a name → that remote, which must exist; unset →
 * `origin` when the repository has one, else none (a clone-less repository keeps working locally).
 */
export async function resolveRemote(root: string, setting: string | undefined, file: string): Promise<GitResult<string | undefined>> {
  if (setting === 'none') return ok(undefined);
  const names = await remoteNames(root);
  if (!names.ok) return names;
  if (setting === undefined) return ok(names.value.includes('origin') ? 'origin' : undefined);
  if (names.value.includes(setting)) return ok(setting);
  const known = names.value.length ? `its remotes are ${names.value.join(', ')}` : 'it has no remote';
  return fail(`${file} sets remote: ${setting}, but ${root} has no remote named ${setting} (${known})`, 'Name an existing remote, or write `remote: none` to work locally.', {
    kind: 'not-found',
  });
}

/**
 * `git fetch --prune --no-tags <remote>`: the team's branches as they are now, into
 * remote-tracking refs only (pruned when deleted there) — a local branch or tag is never touched
 * by a fetch. Tags stay out: a stage's proof tag moved here by a second proof would make git
 * refuse the whole fetch ("would clobber existing tag"), and proofs are read from branches.
 */
export async function fetchRemote(root: string, remote: string): Promise<GitResult<void>> {
  const fetched = await runGit(root, ['fetch', '--prune', '--no-tags', remote]);
  if (!fetched.ok) return fetched;
  if (fetched.value.exitCode !== 0) return fail(`Could not fetch ${remote} in ${root}: ${gitSaid(fetched.value)}`, 'Check the remote with `git remote -v` and your access to it.');
  return ok(undefined);
}

/** When this repository last fetched (FETCH_HEAD in the common git folder, ISO time), or undefined if never. */
export function lastFetched(commonDir: string): string | undefined {
  try {
    return statSync(join(commonDir, 'FETCH_HEAD')).mtime.toISOString();
  } catch {
    return undefined;
  }
}

/** The tip of every branch in `refs/remotes/<remote>/`, by branch name (without the remote's prefix). */
export async function remoteBranchTips(root: string, remote: string): Promise<GitResult<Map<string, string>>> {
  const prefix = `refs/remotes/${remote}/`;
  const listed = await gitText(root, ['for-each-ref', '--format=%(refname)%09%(objectname)', prefix]);
  if (!listed.ok) return listed;
  const tips = new Map<string, string>();
  for (const line of listed.value.split('\n')) {
    const [ref, sha] = line.split('\t');
    if (!ref || !sha || ref === `${prefix}HEAD`) continue;
    tips.set(ref.slice(prefix.length), sha);
  }
  return ok(tips);
}

/** The tip of every local branch, by name. */
export async function localBranchTips(root: string): Promise<GitResult<Map<string, string>>> {
  const listed = await gitText(root, ['for-each-ref', '--format=%(refname:short)%09%(objectname)', 'refs/heads/']);
  if (!listed.ok) return listed;
  const tips = new Map<string, string>();
  for (const line of listed.value.split('\n')) {
    const [name, sha] = line.split('\t');
    if (name && sha) tips.set(name, sha);
  }
  return ok(tips);
}

/** How the local and remote-tracking copies of `branch` relate (from the last fetch). */
export async function branchCopies(root: string, branch: string, local: string | undefined, remote: string | undefined): Promise<GitResult<BranchCopies>> {
  const relation = await relate(root, local, remote);
  if (!relation.ok) return relation;
  return ok({ branch, ...(local ? { local } : {}), ...(remote ? { remote } : {}), relation: relation.value });
}

async function relate(root: string, local: string | undefined, remote: string | undefined): Promise<GitResult<CopyRelation>> {
  if (!local && !remote) return ok('none');
  if (!remote) return ok('local-only');
  if (!local) return ok('remote-only');
  if (local === remote) return ok('same');
  const counted = await gitText(root, ['rev-list', '--left-right', '--count', `${local}...${remote}`]);
  if (!counted.ok) return counted;
  const [ahead, behind] = counted.value.trim().split(/\s+/).map(Number);
  if (ahead > 0 && behind > 0) return ok('diverged');
  return ok(ahead > 0 ? 'local-ahead' : 'local-behind');
}

/**
 * Publishes `branch` to the remote under the same name, never forced: a remote copy that has
 * commits the local one lacks is refused by git, and that refusal comes back as `refused` with
 * the fix. `upstream` also records the remote copy as the branch's upstream (`-u`).
 */
export async function pushBranch(root: string, remote: string, branch: string, options: { upstream?: boolean } = {}): Promise<PushResult> {
  return push(root, remote, [...(options.upstream ? ['--set-upstream'] : []), remote, `refs/heads/${branch}:refs/heads/${branch}`], `branch ${branch}`);
}

/** Publishes a tag; a tag of that name that already points elsewhere on the remote is refused. */
export async function pushTag(root: string, remote: string, tag: string): Promise<PushResult> {
  return push(root, remote, [remote, `refs/tags/${tag}:refs/tags/${tag}`], `tag ${tag}`);
}

/**
 * Deletes `branch` on the remote only while it still points at `expected` (the commit that was
 * judged merged): if a teammate pushed to it since, git refuses and nothing is deleted.
 */
export async function deleteRemoteBranch(root: string, remote: string, branch: string, expected: string): Promise<PushResult> {
  return push(root, remote, [`--force-with-lease=refs/heads/${branch}:${expected}`, remote, `:refs/heads/${branch}`], `the deletion of branch ${branch}`);
}

/**
 * A push's result. A refusal because the remote has moved (or a lease no longer holds, or a tag is
 * taken) is `refused`; `byRemoteRules` marks one the remote's own rules made (a hook, a protected
 * branch), which fetching and trying again cannot change.
 */
export type PushFailure = GitFailure & { byRemoteRules?: true };
export type PushResult = { ok: true; value: void } | PushFailure;

/** A refusal because the remote's copy moved (a teammate pushed, a lease, a tag taken): what a fetch can explain. */
export function remoteMoved(failure: PushFailure): boolean {
  return failure.kind === 'refused' && !failure.byRemoteRules;
}

async function push(root: string, remote: string, args: string[], what: string): Promise<PushResult> {
  const pushed = await runGit(root, ['push', '--porcelain', '--quiet', ...args]);
  if (!pushed.ok) return pushed;
  if (pushed.value.exitCode === 0) return ok(undefined);
  const refusal = pushRefusal(pushed.value.stdout, pushed.value.stderr);
  if (refusal) {
    const { message, hint } = refusalWords(refusal, remote, what);
    const failure = fail(message, `${hint} Nothing was pushed.`, { kind: 'refused' });
    return refusal.by === 'remote-rejected' ? { ...failure, byRemoteRules: true } : failure;
  }
  return fail(`Could not push ${what} to ${remote} from ${root}: ${gitSaid(pushed.value)}`, 'Check the remote with `git remote -v` and your access to it.');
}

/** Why a remote said no to a ref, as `git push --porcelain` reports it on the ref's `!` line. */
export interface PushRefusal {
  /** `rejected`: git refused before sending (the remote moved, a lease, a tag taken); `remote-rejected`: the remote's own rules. */
  by: 'rejected' | 'remote-rejected';
  reason: string;
  /** What the remote printed (its `remote:` lines): a hook's or a forge's explanation. */
  remoteSaid: string[];
}

/** The first refused ref of a porcelain push (`!<TAB>from:to<TAB>[rejected] (reason)`), or undefined when git failed otherwise. */
export function pushRefusal(stdout: string, stderr: string): PushRefusal | undefined {
  for (const line of stdout.split('\n')) {
    const refused = /^!\t[^\t]*\t\[(rejected|remote rejected)\](?: \((.*)\))?/.exec(line);
    if (!refused) continue;
    const remoteSaid = stderr
      .split('\n')
      .map((said) => /^remote: ?(.*)$/.exec(said)?.[1]?.trim())
      .filter((said): said is string => Boolean(said));
    return { by: refused[1] === 'rejected' ? 'rejected' : 'remote-rejected', reason: refused[2] ?? '', remoteSaid };
  }
  return undefined;
}

function refusalWords(refusal: PushRefusal, remote: string, what: string): { message: string; hint: string } {
  if (refusal.by === 'remote-rejected') {
    const said = refusal.remoteSaid.length > 0 ? ` (it said: ${refusal.remoteSaid.join(' ')})` : '';
    return {
      message: `${remote} refused ${what}: ${refusal.reason || 'declined'}${said}`,
      hint: "The remote's own rules said no (a protected branch, a hook, permissions): ask whoever runs it, or merge through a pull request.",
    };
  }
  if (refusal.reason === 'stale info') {
    return { message: `${remote} refused ${what}: its copy has changed since it was judged`, hint: 'Run the command again with --fetch to see what moved.' };
  }
  if (refusal.reason === 'already exists') {
    return { message: `${remote} refused ${what}: it already has one of that name that points elsewhere`, hint: 'Fetch it to see which commit it names.' };
  }
  return { message: `${remote} refused ${what}: its copy has commits this one lacks`, hint: 'Run the command again with --fetch to see what moved.' };
}

/**
 * The local and remote copies of each branch, from two ref listings and one count per branch
 * whose copies differ. Without a remote every copy is local only.
 */
export async function branchCopiesOf(root: string, branches: readonly string[], remote: string | undefined): Promise<GitResult<Map<string, BranchCopies>>> {
  const [locals, remotes] = await Promise.all([localBranchTips(root), remote ? remoteBranchTips(root, remote) : Promise.resolve(ok(new Map<string, string>()))]);
  if (!locals.ok) return locals;
  if (!remotes.ok) return remotes;
  const copies = new Map<string, BranchCopies>();
  for (const branch of branches) {
    const copy = await branchCopies(root, branch, locals.value.get(branch), remotes.value.get(branch));
    if (!copy.ok) return copy;
    copies.set(branch, copy.value);
  }
  return ok(copies);
}

/** A remote-tracking ref as people write it: `refs/remotes/origin/main` → `origin/main`. */
export function shortRef(ref: string): string {
  return ref.replace(/^refs\/remotes\//, '');
}
