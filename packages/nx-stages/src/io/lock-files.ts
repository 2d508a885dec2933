import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCK_FILES } from '../core/package-manager';

/**
 * A digest of the lock files of the given checkouts (the stage's, and the main checkout whose
 * node_modules a linked worktree uses): the dependencies a measurement ran with.
 */
export async function lockFilesDigest(checkouts: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const checkout of checkouts) {
    for (const name of LOCK_FILES) {
      const content = await readFile(join(checkout, name)).catch(() => undefined);
      if (content) hash.update(`${name}\0`).update(content).update('\0');
    }
    hash.update('\n');
  }
  return hash.digest('hex');
}
