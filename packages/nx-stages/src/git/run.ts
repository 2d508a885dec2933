import { existsSync } from 'node:fs';
import { gitAt, GitExitError } from './client';
import { trackCall } from './interrupts';
import { fail, ok, type GitResult } from './result';

/** How a git process ended. Exit codes carry answers (1 = "no" for is-ancestor, show-ref, …). */
export interface GitOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `git <args>` in `dir`. ok → git ran (whatever its exit code); fail → git could not run at
 * all (missing folder, git not installed, argument refused by simple-git's safety checks).
 */
export async function runGit(dir: string, args: readonly string[], options: { input?: string; indexFile?: string } = {}): Promise<GitResult<GitOutput>> {
  if (!existsSync(dir)) return fail(`${dir} does not exist`, 'Check the path, or create the folder first.', { kind: 'not-found' });
  const call = trackCall();
  try {
    // --no-pager: never wait on a pager, whatever core.pager says.
    const stdout = await gitAt(dir, { ...options, abort: call.signal }).raw(['--no-pager', ...args]);
    return ok({ exitCode: 0, stdout, stderr: '' });
  } catch (error) {
    if (error instanceof GitExitError) {
      return ok({ exitCode: error.exitCode, stdout: error.stdout, stderr: error.stderr });
    }
    const reason = error instanceof Error ? error.message : String(error);
    return fail(`Could not run git ${args[0] ?? ''} in ${dir}: ${reason}`, 'Check that git is installed and on PATH.');
  } finally {
    call.done();
  }
}

/** What git said, for a message: stderr first, stdout when stderr is empty. */
export function gitSaid(output: GitOutput): string {
  return output.stderr.trim() || output.stdout.trim() || `exit code ${output.exitCode}`;
}

/** Runs git and expects exit 0; anything else becomes a failure carrying git's own message. */
export async function gitText(dir: string, args: readonly string[], hint?: string, input?: string): Promise<GitResult<string>> {
  const run = await runGit(dir, args, input === undefined ? {} : { input });
  if (!run.ok) return run;
  if (run.value.exitCode !== 0) return fail(`git ${args[0]} failed in ${dir}: ${gitSaid(run.value)}`, hint);
  return ok(run.value.stdout);
}
