import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GatesResult } from '../core/gates/gates-result';
import { sanitizeLockName } from '../git/lock';

/**
 * Where a stage's gates keep what they measured until `proof` commits a compact record of it:
 * inside the repository's git common dir, so it is never an uncommitted change in any worktree
 * (nothing for `sync`, `clean` or `status` to trip over) and every worktree of the repository
 * finds it. Layout: `gates.json` (the result), `logs/` (full output of each gate and each Nx
 * task), `evidence/` (the files the numbers are derived from).
 */
export function gatesStore(commonDir: string, id: string) {
  const relativeDir = `nx-stages/gates/stage-${sanitizeLockName(id)}`;
  const dir = join(commonDir, relativeDir);
  return {
    dir,
    /** The same folder relative to the git common dir: how committed text names it (no machine paths). */
    relativeDir,
    result: join(dir, 'gates.json'),
    logs: join(dir, 'logs'),
    evidence: join(dir, 'evidence'),
    /** A path inside the store, from the store-relative form the result records. */
    file: (relative: string) => join(dir, relative),
  };
}

export type GatesStore = ReturnType<typeof gatesStore>;

export async function readStoredResult(store: GatesStore): Promise<GatesResult | undefined> {
  try {
    const result = JSON.parse(await readFile(store.result, 'utf8')) as GatesResult;
    return result.version === 2 ? result : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the previous run's result first: a run that stops midway leaves none behind. */
export async function resetStore(store: GatesStore): Promise<void> {
  await rm(store.dir, { recursive: true, force: true });
  await mkdir(store.logs, { recursive: true });
  await mkdir(store.evidence, { recursive: true });
}

/** Written whole, then renamed: a reader never sees half a result. */
export async function writeStoredResult(store: GatesStore, result: GatesResult): Promise<void> {
  await writeFile(`${store.result}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  await rename(`${store.result}.tmp`, store.result);
}
