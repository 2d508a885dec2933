// Errors are values: expected failures (not a repository, branch exists, conflict, dirty
// worktree) come back as data the caller can print, never as exceptions.

export interface GitFailure {
  ok: false;
  /** What went wrong, naming the path / branch involved. */
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** Files git could not merge (integrate); the operation was aborted. */
  conflicts?: string[];
  /** Files that blocked the operation (uncommitted changes). */
  files?: string[];
  /** The signal (SIGINT, SIGTERM) that interrupted the operation; what it did was undone. */
  interrupted?: string;
}

export type GitResult<T> = { ok: true; value: T } | GitFailure;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(message: string, hint?: string, extra: Pick<GitFailure, 'conflicts' | 'files' | 'interrupted'> = {}): GitFailure {
  return { ok: false, message, ...(hint === undefined ? {} : { hint }), ...extra };
}

/**
 * A failure as one or two sentences for people: the message with its closing stop (added unless
 * it ends a sentence already), then the hint. Every verb prints failures this way.
 */
export function failureText(failure: Pick<GitFailure, 'message' | 'hint'>): string {
  const message = /[.!?:]$/.test(failure.message) ? failure.message : `${failure.message}.`;
  return failure.hint ? `${message} ${failure.hint}` : message;
}
