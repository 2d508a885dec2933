import type { GatesResult } from '../core/gates/gates-result';
import { gatesResultStaleness } from '../core/gates/staleness';
import type { Failure } from '../core/outcome';
import { contentHash, uncommittedOutside } from '../git/content';
import { gatesStore, readStoredResult } from '../io/gates-store';
import type { ProofPaths } from '../core/conventions';

/** The latest gates result of a stage, from the gates store; undefined when there is none (or it is unreadable). */
export function readGatesResult(commonDir: string, id: string): Promise<GatesResult | undefined> {
  return readStoredResult(gatesStore(commonDir, id));
}

/**
 * Why a gates result no longer describes the checkout (core/gates/staleness, held against the
 * checkout as git reads it now); undefined when it still does.
 */
export async function resultStaleness(checkout: string, result: GatesResult, paths: ProofPaths): Promise<Failure | undefined> {
  const [hash, uncommitted] = await Promise.all([contentHash(checkout, 'HEAD', paths.folder), uncommittedOutside(checkout, paths.folder)]);
  if (!hash.ok) return hash;
  if (!uncommitted.ok) return uncommitted;
  const stale = gatesResultStaleness(result, { contentHash: hash.value, uncommitted: uncommitted.value });
  return stale && { kind: 'refused', ...stale };
}
