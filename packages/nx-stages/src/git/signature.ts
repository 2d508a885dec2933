import { isAbsolute, join } from 'node:path';
import { ok, type GitResult } from './result';
import { gitText, runGit } from './run';

/** The commit at `head` that last changed `path`: the commit a proof was committed in. */
export async function lastCommitOf(dir: string, head: string, path: string): Promise<GitResult<string | undefined>> {
  const found = await gitText(dir, ['log', '-1', '--format=%H', head, '--', path]);
  return found.ok ? ok(found.value.trim() || undefined) : found;
}

/**
 * Whether `commit` carries a good signature by a key git trusts: for ssh signatures, one listed
 * in `allowedSigners` (git's allowed-signers format); for gpg, one in the keyring. Returns what
 * git said when it does not.
 */
export async function commitSignature(dir: string, commit: string, allowedSigners: string | undefined): Promise<GitResult<{ good: boolean; said: string }>> {
  const config = allowedSigners ? ['-c', `gpg.ssh.allowedSignersFile=${isAbsolute(allowedSigners) ? allowedSigners : join(dir, allowedSigners)}`] : [];
  const checked = await runGit(dir, [...config, 'verify-commit', '--raw', commit]);
  if (!checked.ok) return checked;
  // Not gitSaid: for an unsigned commit git says nothing, and "exit code 1" would hide that.
  const said = checked.value.stderr.trim() || checked.value.stdout.trim();
  return ok({ good: checked.value.exitCode === 0, said: said.split('\n').filter(Boolean).slice(0, 3).join(' ') });
}
