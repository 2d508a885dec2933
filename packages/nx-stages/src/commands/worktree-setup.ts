import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderEnvLocal, type StageEnvironment } from '../core/env-local';
import { pathMatches } from '../core/glob-overlap';
import type { DependencySetup } from '../core/model';
import { gitDirOf } from '../git/repository';
import { recordCreatedFiles } from '../io/creation-record';
import { commandLine, installDependencies } from '../io/dependencies';
import { linkDependencies } from '../io/link-dependencies';

export const WORKTREE_INCLUDE_FILE = '.worktreeinclude';

/**
 * Ignored files the new worktree should have: those matching the plan's `copyIgnored` globs or a
 * line of `.worktreeinclude`. Dependency folders are never copied (they are linked or installed).
 */
export async function filesToCopy(root: string, ignored: readonly string[], patterns: readonly string[]): Promise<string[]> {
  const include = await readFile(join(root, WORKTREE_INCLUDE_FILE), 'utf8').catch(() => '');
  const all = [
    ...patterns,
    ...include
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#')),
  ];
  return ignored
    .map((entry) => entry.replace(/\/$/, ''))
    .filter((entry) => !entry.split('/').includes('node_modules'))
    .filter((entry) => all.some((pattern) => pathMatches(entry, pattern)));
}

/** Copies `entries` from the main checkout and records what they were, so `clean` notices later edits. */
export async function copyInto(root: string, worktree: string, entries: readonly string[]): Promise<void> {
  for (const entry of entries) {
    await cp(join(root, entry), join(worktree, entry), { recursive: true, errorOnExist: false, force: false, preserveTimestamps: true });
  }
  await recordCreated(worktree, entries);
}

/**
 * Makes the worktree able to run Nx at once. `link` mirrors each `node_modules` of the main
 * checkout with links (instant, no disk; right while the stage does not change dependencies;
 * see io/link-dependencies.ts; `sync` refreshes it when the base changes dependencies); `install`
 * runs the package manager of the lock file; `none` does nothing.
 */
export async function setUpDependencies(root: string, worktree: string, ignored: readonly string[], mode: DependencySetup): Promise<string> {
  if (mode === 'none') return 'dependencies: none (as configured)';
  if (mode === 'link') {
    const linked = await linkDependencies(root, worktree, ignored);
    if (linked.folders.length === 0) return 'no node_modules in the main checkout to link';
    const own = linked.ownPackages.length > 0 ? `; ${linked.ownPackages.join(', ')} point into this worktree` : '';
    return `linked ${linked.folders.join(', ')} entry by entry from the main checkout${own}`;
  }
  const install = await installDependencies(worktree);
  return `installed dependencies with ${commandLine(install)}`;
}

/**
 * Overwrites any `.env.local` copied from the main checkout (that one describes the main
 * checkout) and records what was written, so `clean` keeps it once a person adds to it.
 */
export async function writeEnvLocal(worktree: string, environment: StageEnvironment): Promise<void> {
  await writeFile(join(worktree, '.env.local'), renderEnvLocal(environment));
  await recordCreated(worktree, ['.env.local']);
}

/** Records `entries` in the worktree's own git folder (io/creation-record.ts); a failure fails the creation. */
async function recordCreated(worktree: string, entries: readonly string[]): Promise<void> {
  if (entries.length === 0) return;
  const gitDir = await gitDirOf(worktree);
  if (!gitDir.ok) throw new Error(`Could not record the files written into ${worktree}: ${gitDir.message}`);
  await recordCreatedFiles(gitDir.value, worktree, entries);
}
