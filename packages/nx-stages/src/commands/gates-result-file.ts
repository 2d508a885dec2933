import type { GatesResult } from '../core/gates/gates-result';
import { contentHash, uncommittedOutside } from '../git/content';
import { gatesStore, readStoredResult } from '../io/gates-store';
import type { ProofPaths } from '../core/conventions';

/** The latest gates result of a stage, from the gates store; undefined when there is none (or it is unreadable). */
export function readGatesResult(commonDir: string, id: string): Promise<GatesResult | undefined> {
  return readStoredResult(gatesStore(commonDir, id));
}

/** Why a gates result no longer describes the checkout; undefined when it still does. */
export async function resultStaleness(checkout: string, result: GatesResult, paths: ProofPaths): Promise<string | undefined> {
  if (!result.clean) return `the gates measured uncommitted changes (${result.uncommitted.slice(0, 5).join(', ')}). Commit them, then run gates again.`;
  const [hash, uncommitted] = await Promise.all([contentHash(checkout, 'HEAD', paths.folder), uncommittedOutside(checkout, paths.folder)]);
  if (!hash.ok) return hash.message;
  if (!uncommitted.ok) return uncommitted.message;
  if (uncommitted.value.length) return `uncommitted changes since the gates ran: ${uncommitted.value.slice(0, 5).join(', ')}. Commit them and run gates again.`;
  if (hash.value !== result.contentHash) return `the branch changed since the gates ran (they measured ${result.commit.slice(0, 7)}). Run gates again.`;
  return undefined;
}
