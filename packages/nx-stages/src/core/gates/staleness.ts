import type { GatesResult } from './gates-result';

/** The stage's checkout as it is now: what a stored gates result is held against. */
export interface CheckoutNow {
  /** Hash of the tracked content at HEAD, the stage's own proof folder left out. */
  contentHash: string;
  /** Uncommitted files outside the proof folder. */
  uncommitted: readonly string[];
}

/** Why a result is not the stage's current one: what changed, and what to do about it. */
export interface Staleness {
  message: string;
  hint: string;
}

const some = (files: readonly string[]) => files.slice(0, 5).join(', ');

/**
 * When a stored gates result is still the stage's current one: it measured a commit (no
 * uncommitted changes then), nothing is uncommitted now, and the content is the content it
 * measured. Only then can a proof be built on it; undefined means it is current.
 */
export function gatesResultStaleness(result: Pick<GatesResult, 'clean' | 'uncommitted' | 'contentHash' | 'commit'>, now: CheckoutNow): Staleness | undefined {
  if (!result.clean) return { message: `the gates measured uncommitted changes (${some(result.uncommitted)})`, hint: 'Commit them, then run gates again.' };
  if (now.uncommitted.length) return { message: `uncommitted changes since the gates ran: ${some(now.uncommitted)}`, hint: 'Commit them and run gates again.' };
  if (now.contentHash !== result.contentHash) return { message: `the branch changed since the gates ran (they measured ${result.commit.slice(0, 7)})`, hint: 'Run gates again.' };
  return undefined;
}
