import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { DependencySetup } from '../core/model';
import { installCommand, LOCK_FILES, type InstallCommand } from '../core/package-manager';
import { isRealInstall, refreshLinkedDependencies } from './link-dependencies';
import { readPackageManager } from './package-manager';

const run = promisify(execFile);

/** Files whose change on the base can change what a checkout's node_modules should hold. */
// pnpm-workspace.yaml too: a change there changes the workspace links.
const DEPENDENCY_FILES = new Set<string>([...LOCK_FILES, 'pnpm-workspace.yaml']);

/** How a link-mode summary starts when there was nothing to refresh. */
export const ALREADY_MATCH = "dependencies already match the main checkout's";

/** The paths among `changed` (repository-relative) that are lock files or a package.json, at any depth. */
export function dependencyFiles(changed: readonly string[]): string[] {
  return changed.filter((path) => {
    const name = basename(path);
    return name === 'package.json' || DEPENDENCY_FILES.has(name);
  });
}

/** How to install in `worktree`: its package manager as readPackageManager judges it (lock file first; npm without one). */
export async function worktreeInstallCommand(worktree: string): Promise<InstallCommand> {
  return installCommand(await readPackageManager(worktree));
}

/** `npm install --no-audit --no-fund`: a command line for messages. */
export const commandLine = (install: InstallCommand) => [install.command, ...install.args].join(' ');

/** Runs the package manager of the worktree's lock file there; rejects with its output when it fails. */
export async function installDependencies(worktree: string): Promise<InstallCommand> {
  const install = await worktreeInstallCommand(worktree);
  try {
    await run(install.command, install.args, { cwd: worktree, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_audit: 'false' } });
  } catch (error) {
    const said = (error as { stderr?: string }).stderr?.trim() || (error instanceof Error ? error.message : String(error));
    throw new Error(`${commandLine(install)} failed in ${worktree}: ${said.split('\n').slice(-5).join(' ')}`, { cause: error });
  }
  return install;
}

/**
 * Makes the worktree's dependencies match the main checkout's again, as `mode` says:
 * - `link`: the mirrors of the main checkout's node_modules folders are brought up to date (see
 *   refreshLinkedDependencies: entries added, broken links re-pointed or removed; real folders and
 *   files, and working links of the user's, are never touched). A worktree node_modules that is a
 *   real install is left alone and the summary says so.
 * - `install`: the package manager of the lock file runs in the worktree — unless its node_modules
 *   is a mirror (or one link) of the main checkout's, which an install would write through into the
 *   main checkout; then nothing runs and the summary says what to do.
 * - `none`: nothing; the summary says what to run.
 * `ignored`: the main checkout's git-ignored entries (`git ls-files --others --ignored --directory`),
 * where its node_modules folders are found; default: only the root `node_modules/`.
 * Rejects only when the package manager fails.
 */
export async function refreshDependencies(
  mainCheckout: string,
  worktree: string,
  mode: DependencySetup,
  ignored: readonly string[] = ['node_modules/'],
): Promise<{ changed: boolean; summary: string }> {
  if (mode === 'none') {
    const install = await worktreeInstallCommand(worktree);
    return { changed: false, summary: `dependencies: none (as configured), so nothing was refreshed; to update them run \`${commandLine(install)}\` in ${worktree}` };
  }
  if (mode === 'install') {
    const modules = join(worktree, 'node_modules');
    const found = await lstat(modules).catch(() => undefined);
    if (found && (found.isSymbolicLink() || (found.isDirectory() && (await isMirror(modules))))) {
      const install = await worktreeInstallCommand(worktree);
      return {
        changed: false,
        summary:
          `dependencies: install, but ${modules} links to the main checkout's packages (made with dependencies: link); ` +
          `an install there would write into the main checkout, so nothing ran. Remove that node_modules and run \`${commandLine(install)}\` in ${worktree}, ` +
          'or refresh it as a mirror with dependencies: link',
      };
    }
    const install = await installDependencies(worktree);
    return { changed: true, summary: `installed dependencies with ${commandLine(install)}` };
  }

  const refreshed = await refreshLinkedDependencies(mainCheckout, worktree, ignored);
  const parts: string[] = [];
  if (refreshed.added.length > 0) parts.push(`linked ${list(refreshed.added)}`);
  if (refreshed.updated.length > 0) parts.push(`re-linked ${list(refreshed.updated)}`);
  if (refreshed.removed.length > 0) parts.push(`removed broken links ${list(refreshed.removed)}`);
  const changed = parts.length > 0;
  let summary = changed
    ? `dependencies refreshed from the main checkout: ${parts.join('; ')}`
    : refreshed.folders.length > 0
      ? `${ALREADY_MATCH} (${refreshed.folders.join(', ')})`
      : refreshed.realInstalls.length > 0
        ? ''
        : 'no node_modules in the main checkout to link';
  if (refreshed.realInstalls.length > 0) {
    const install = await worktreeInstallCommand(worktree);
    const left = `${refreshed.realInstalls.join(', ')} in ${worktree} ${refreshed.realInstalls.length === 1 ? 'is a real install' : 'are real installs'}, not a mirror of the main checkout's: left as ${refreshed.realInstalls.length === 1 ? 'it is' : 'they are'}; update with \`${commandLine(install)}\` there`;
    summary = summary ? `${summary}; ${left}` : left;
  }
  return { changed, summary };
}

/**
 * Link mode's quick check, for callers about to run something in the worktree: the top-level
 * packages of the main checkout's root node_modules (scoped ones as `@x/y`) that the worktree's
 * mirror lacks or whose link there is broken, sorted. Dot entries (`.bin`, `.pnpm`, metadata) are
 * not packages and not listed. Cost: a readdir of both folders and their scopes, one stat per link.
 * [] when the main checkout has no node_modules, or when the worktree's is a real install (not a
 * mirror: the package manager's business). A worktree without node_modules lacks every package.
 */
export async function staleDependencies(mainCheckout: string, worktree: string): Promise<string[]> {
  const from = join(mainCheckout, 'node_modules');
  const to = join(worktree, 'node_modules');
  const wanted = await packageEntries(from);
  if (wanted === undefined) return [];
  const found = await lstat(to).catch(() => undefined);
  if (!found) return wanted.map((entry) => entry.name).sort();
  if (found.isSymbolicLink()) return existsSync(to) ? [] : wanted.map((entry) => entry.name).sort();
  if (!found.isDirectory() || (await isRealInstall(to))) return [];
  const present = new Map(((await packageEntries(to)) ?? []).map((entry) => [entry.name, entry.link]));
  return wanted
    .filter((entry) => {
      if (!present.has(entry.name)) return true;
      return present.get(entry.name) === true && !existsSync(join(to, entry.name));
    })
    .map((entry) => entry.name)
    .sort();
}

/** Top-level packages of a node_modules folder, scoped ones one level down; undefined when there is no folder. */
async function packageEntries(dir: string): Promise<Array<{ name: string; link: boolean }> | undefined> {
  const top = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!top) return undefined;
  const entries: Array<{ name: string; link: boolean }> = [];
  await Promise.all(
    top
      .filter((entry) => !entry.name.startsWith('.'))
      .map(async (entry) => {
        // A scope folder (or a link to one) is listed package by package.
        const scoped = entry.name.startsWith('@') ? await readdir(join(dir, entry.name), { withFileTypes: true }).catch(() => undefined) : undefined;
        if (scoped) for (const inner of scoped) entries.push({ name: `${entry.name}/${inner.name}`, link: inner.isSymbolicLink() });
        else if (entry.isDirectory() || entry.isSymbolicLink()) entries.push({ name: entry.name, link: entry.isSymbolicLink() });
      }),
  );
  return entries;
}

/** A node_modules folder of links made by link mode: not a real install, with at least one link. */
async function isMirror(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.some((entry) => entry.isSymbolicLink()) && !(await isRealInstall(dir));
}

function list(paths: readonly string[]): string {
  const shown = paths.slice(0, 8).join(', ');
  return paths.length > 8 ? `${shown} and ${paths.length - 8} more` : shown;
}
