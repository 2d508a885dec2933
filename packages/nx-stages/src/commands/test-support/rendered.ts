import { renderOutcome, type Outcome, type Rendered } from '../../core/outcome';

/**
 * What a user sees of an outcome (its streams and exit code, as the reporter writes them), with
 * the temp folders of a test named instead (`{ '<root>': root }`), so a snapshot pins the words.
 * Longer paths are replaced first: a worktree beside the root shares its prefix.
 */
export function rendered(outcome: Outcome, paths: Record<string, string> = {}, options: { json?: boolean } = {}): Rendered {
  const { stdout, stderr, exitCode } = renderOutcome(outcome, options);
  const named = Object.entries(paths).sort(([, a], [, b]) => b.length - a.length);
  const name = (text: string) => named.reduce((said, [label, path]) => said.split(path).join(label), text);
  return { stdout: name(stdout), stderr: name(stderr), exitCode };
}
