// Errors are values: expected failures (not a repository, branch exists, conflict, dirty
// worktree) come back as data with a kind (core/outcome), never as exceptions.
import type { Failure, FailureKind } from '../core/outcome';

export type GitFailure = { ok: false } & Failure;

export type GitResult<T> = { ok: true; value: T } | GitFailure;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/**
 * A failure; its kind is named, or follows from what blocked it (conflicting files, dirty files,
 * a signal), else it is `unexpected`: git failing in a way nobody planned for.
 */
export function fail(message: string, hint?: string, extra: Partial<Pick<Failure, 'kind' | 'conflicts' | 'files' | 'interrupted'>> = {}): GitFailure {
  const kind: FailureKind = extra.kind ?? (extra.conflicts ? 'conflict' : extra.interrupted ? 'interrupted' : extra.files ? 'dirty' : 'unexpected');
  return { ok: false, ...extra, kind, message, ...(hint === undefined ? {} : { hint }) };
}
