import type { Failure } from '../core/outcome';
import type { PlanSettings } from '../core/model';
import { pushBranch, remoteMoved, resolveRemote } from '../git/remote';
import { fail, ok, type GitResult } from '../git/result';

/**
 * Where `--push` publishes: undefined when not pushing (the flag wins over `push:` in
 * stages.yaml); the remote's name when pushing; a refusal (nothing changed yet) when asked to
 * push with no remote to push to. Checked before a verb changes anything.
 */
export async function pushTarget(root: string, settings: PlanSettings, flag: boolean | undefined): Promise<GitResult<string | undefined>> {
  if (!(flag ?? settings.push ?? false)) return ok(undefined);
  const remote = await resolveRemote(root, settings.remote, settings.file);
  if (!remote.ok) return remote;
  if (remote.value) return ok(remote.value);
  const asked = flag === undefined ? `${settings.file} sets push: true` : '--push was given';
  const why = settings.remote === 'none' ? `${settings.file} sets remote: none` : `${root} has no remote named origin and ${settings.file} names none`;
  return fail(
    `${asked}, but there is nothing to push to: ${why}; nothing was changed`,
    `Set remote: in ${settings.file} to an existing remote (git remote -v lists them), or run without --push (--no-push).`,
    {
      kind: 'invalid-input',
    },
  );
}

/**
 * Publishes `branch`, never forced. A refusal means the remote's copy has commits the local one
 * lacks (a teammate pushed): said with the branch and the fix, never overwritten. A refusal by the
 * remote's own rules (a hook, a protected branch) is passed on as the remote said it.
 */
export async function publishBranch(root: string, remote: string, branch: string, options: { upstream?: boolean } = {}): Promise<GitResult<void>> {
  const pushed = await pushBranch(root, remote, branch, options);
  if (pushed.ok || !remoteMoved(pushed)) return pushed;
  return behindRemote(remote, branch);
}

/** The refusal of a push onto a remote copy with commits the local branch lacks. */
export function behindRemote(remote: string, branch: string): GitResult<never> {
  return fail(
    `${remote} refused ${branch}: ${remote}/${branch} has commits your ${branch} lacks, and a push never overwrites them`,
    `Run \`git pull ${remote} ${branch}\` in the checkout of ${branch}, then push again (git push ${remote} ${branch}); nothing was pushed.`,
    { kind: 'refused' },
  );
}

/** A failure said after what already happened locally ("the proof is committed on stage-1, but …"). */
export function afterLocal(done: string, failure: Failure): Failure {
  return { ...failure, message: `${done}, but ${failure.message}` };
}
