// One outcome path from every verb to the user. A verb returns an Outcome and prints nothing;
// renderOutcome decides the words of a failure, the streams and the exit code, for every
// executor and the bin alike.

import { own } from './own';

/** What kind of thing went wrong: what a test or a script checks, instead of the words. */
export type FailureKind =
  /** A flag, id, name or file the user gave is not usable. */
  | 'invalid-input'
  /** A stage, branch, worktree, commit or file that does not exist. */
  | 'not-found'
  /** Something is in the way: a branch or folder already there, a branch checked out elsewhere. */
  | 'exists'
  /** Not inside a git working tree, or a repository with no commits. */
  | 'not-a-repository'
  /** Uncommitted changes block the operation. */
  | 'dirty'
  /** git could not merge; the operation was aborted and nothing changed. */
  | 'conflict'
  /** Another operation holds the lock, is half done, or a checkout is in the middle of one. */
  | 'busy'
  /** A signal stopped it; what it had done was undone. */
  | 'interrupted'
  /** The method says no: no proof, a stale proof, a dependency not merged, a base that moved. */
  | 'refused'
  /** What was measured failed: a gate, the plan's validation, a forecast conflict. */
  | 'failed'
  /** git or another tool failed in a way nobody planned for. */
  | 'unexpected';

export interface Failure {
  kind: FailureKind;
  /** What went wrong, naming the path, branch or stage involved. */
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** Files git could not merge (the operation was aborted). */
  conflicts?: string[];
  /** Files that blocked the operation. */
  files?: string[];
  /** The signal (SIGINT, SIGTERM) that interrupted the operation. */
  interrupted?: string;
}

export interface Outcome<T = unknown> {
  ok: boolean;
  /**
   * The document for people, on stdout: a table, a report, a path. A failing verb may have one
   * too (validate's checklist, the forecast that found conflicts, what clean kept): then the
   * document says what failed and the failure is data for scripts only.
   */
  text: string;
  /** The one JSON document of `--json`. Without it, `--json` prints the failure (or `{}`). */
  data?: T;
  /** Present exactly when `ok` is false. */
  failure?: Failure;
  /** Lines for stderr whatever the outcome (a warning, a summary beside `--json`). */
  notes?: string[];
}

export function done<T>(text: string, data?: T, notes?: string[]): Outcome<T> {
  return { ok: true, text, ...(data === undefined ? {} : { data }), ...(notes?.length ? { notes } : {}) };
}

/** A failed outcome; `failure` may be a git failure (its `ok: false` is left behind). */
export function failed<T = never>(failure: Failure, report: { text?: string; data?: T; notes?: string[] } = {}): Outcome<T> {
  const { kind, message, hint, conflicts, files, interrupted } = failure;
  const kept: Failure = {
    kind,
    message,
    ...(hint === undefined ? {} : { hint }),
    ...(conflicts ? { conflicts } : {}),
    ...(files ? { files } : {}),
    ...(interrupted ? { interrupted } : {}),
  };
  return {
    ok: false,
    text: report.text ?? '',
    failure: kept,
    ...(report.data === undefined ? {} : { data: report.data }),
    ...(report.notes?.length ? { notes: report.notes } : {}),
  };
}

/** A failure from its parts, the common case: `refuse('not-found', 'no stage "9.9" in …', 'Run …')`. */
export function refuse(kind: FailureKind, message: string, hint?: string): Outcome<never> {
  return failed({ kind, message, ...(hint === undefined ? {} : { hint }) });
}

/**
 * A failure as one or two sentences for people: the message with its closing stop (added unless
 * it ends a sentence already), then the hint.
 */
export function failureText(failure: Pick<Failure, 'message' | 'hint'>): string {
  const message = /[.!?:]$/.test(failure.message) ? failure.message : `${failure.message}.`;
  return failure.hint ? `${message} ${failure.hint}` : message;
}

export interface Rendered {
  stdout: string;
  stderr: string;
  exitCode: number;
}

// The numbers of the signals a user sends to stop a command (the same on Linux and macOS).
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };

/**
 * 0 for success; for an operation a signal stopped, 128 + the signal's number as a shell reports
 * it (130 after Ctrl+C), so a script or a parent process can tell "stopped" from "failed"; else 1.
 */
export function exitCodeOf(outcome: Pick<Outcome, 'ok' | 'failure'>): number {
  if (outcome.ok) return 0;
  const signal = outcome.failure?.kind === 'interrupted' ? outcome.failure.interrupted : undefined;
  const number = signal === undefined ? undefined : own(SIGNAL_NUMBERS, signal);
  return number === undefined ? 1 : 128 + number;
}

/**
 * The streams of an outcome. With `json`, stdout is one JSON document alone (the data, else the
 * failure) and stderr says the failure; without, stdout is the document and stderr the failure
 * when no document says it.
 * Notes always go to stderr, so a pipe reads only the answer.
 */
export function renderOutcome(outcome: Outcome, options: { json?: boolean } = {}): Rendered {
  const exitCode = exitCodeOf(outcome);
  const notes = outcome.notes ?? [];
  const failureLine = outcome.failure ? failureText(outcome.failure) : undefined;
  if (options.json) {
    const document = outcome.data ?? (outcome.failure ? { ok: false, ...outcome.failure } : {});
    // The failure is said on stderr too: through `nx run` with --outputFile, stdout's JSON goes to a file nobody reads.
    return { stdout: JSON.stringify(document, null, 2), stderr: lines([...notes, ...(failureLine ? [failureLine] : [])]), exitCode };
  }
  const unsaid = failureLine && outcome.text === '' ? [failureLine] : [];
  return { stdout: outcome.text, stderr: lines([...notes, ...unsaid]), exitCode };
}

function lines(parts: string[]): string {
  return parts.filter((part) => part !== '').join('\n');
}
