import { existsSync, type Dirent } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readlink, rmdir, stat, symlink, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isInside } from '../core/worktree-layout';

export interface LinkedDependencies {
  /** The node_modules folders set up in the worktree, workspace-relative. */
  folders: string[];
  /** Links that point into the worktree's own files: its workspace packages (`@acme/ui -> ../../packages/ui`). */
  ownPackages: string[];
}

/**
 * `dependencies: link`. Every `node_modules` folder of the main checkout becomes, in the worktree,
 * a real folder whose entries link to the main checkout's: no install, no disk.
 *
 * Why not one link for the whole folder: package managers put a workspace's own packages into
 * node_modules as relative links (`node_modules/@acme/ui -> ../../packages/ui`). Through a linked
 * folder those resolve in the main checkout, so code in a stage worktree would import main's
 * packages instead of its own. Copied link by link, the same relative text resolves inside the
 * worktree. Scope folders (`@acme`) and `.bin` are mirrored one level further for that reason.
 */
export async function linkDependencies(root: string, worktree: string, ignored: readonly string[]): Promise<LinkedDependencies> {
  const folders = nodeModulesFolders(ignored).filter((folder) => existsSync(join(worktree, dirname(folder))) && !existsSync(join(worktree, folder)));
  const context = mirrorContext(root, worktree, folders);
  for (const folder of folders) await mirror(context, join(root, folder), join(worktree, folder), true);
  return { folders, ownPackages: context.ownPackages.sort() };
}

export interface RefreshedLinks {
  /** The worktree's node_modules folders now mirroring (or linking to) the main checkout's, workspace-relative. */
  folders: string[];
  /** Entries (or whole folders) linked or copied anew: `node_modules/left-pad`, `node_modules/@x/y`. */
  added: string[];
  /** Broken links pointed at main's entry again, and metadata copies main has rewritten since. */
  updated: string[];
  /** Broken links to entries the main checkout no longer has. */
  removed: string[];
  /** Folders left alone: a real install (the package manager's), not a mirror of ours. */
  realInstalls: string[];
}

/**
 * Brings the worktree's mirrors up to date with the main checkout's node_modules folders, after
 * the main checkout installed or removed packages. Idempotent: run twice, the second run changes
 * nothing. It adds what main has and the mirror lacks, re-points broken links, re-copies metadata
 * files main rewrote after they were copied, and removes broken links to what main no longer has.
 * It never deletes or replaces a real folder or file (a user's, or an install's), never replaces a
 * working link (`npm link`), and leaves a folder that is a real install entirely alone.
 * Cost: one readdir per mirrored folder and scope, and one lstat per entry.
 */
export async function refreshLinkedDependencies(root: string, worktree: string, ignored: readonly string[]): Promise<RefreshedLinks> {
  const folders = nodeModulesFolders(ignored).filter((folder) => existsSync(join(root, folder)) && existsSync(join(worktree, dirname(folder))));
  const context = mirrorContext(root, worktree, folders);
  const result: RefreshedLinks = { folders: [], added: [], updated: [], removed: [], realInstalls: [] };
  const name = (path: string) => relative(worktree, path).split(sep).join('/');
  const changes: Changes = {
    added: (path) => result.added.push(name(path)),
    updated: (path) => result.updated.push(name(path)),
    removed: (path) => result.removed.push(name(path)),
  };
  for (const folder of folders) {
    const from = join(root, folder);
    const to = join(worktree, folder);
    const found = await lstat(to).catch(() => undefined);
    if (found?.isSymbolicLink() && existsSync(to)) {
      result.folders.push(folder); // one link for the whole folder: always main's, nothing to refresh
      continue;
    }
    if (found?.isDirectory() && (await isRealInstall(to))) {
      result.realInstalls.push(folder);
      continue;
    }
    if (found && !found.isDirectory() && !found.isSymbolicLink()) continue; // a file named node_modules: not ours
    if (found?.isSymbolicLink()) await unlink(to); // a broken whole-folder link
    if (!found?.isDirectory()) {
      await mirror(context, from, to, true);
      changes.added(to);
    } else {
      await update(context, changes, from, to, true);
    }
    result.folders.push(folder);
  }
  for (const list of [result.added, result.updated, result.removed]) list.sort();
  return result;
}

/**
 * Whether the node_modules folder at `dir` was made by a package manager rather than by our mirror:
 * pnpm's real `.pnpm` store, or more real package folders than links. A mirror holds links (plus
 * copied metadata files and whatever the user added); an install holds package folders.
 */
export async function isRealInstall(dir: string): Promise<boolean> {
  let links = 0;
  let packages = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) links++;
    else if (!entry.isDirectory()) continue;
    else if (entry.name === '.pnpm') return true;
    else if (entry.name.startsWith('@')) {
      for (const scoped of await readdir(join(dir, entry.name), { withFileTypes: true })) {
        if (scoped.isSymbolicLink()) links++;
        else if (scoped.isDirectory()) packages++;
      }
    } else if (!entry.name.startsWith('.') && existsSync(join(dir, entry.name, 'package.json'))) packages++;
  }
  return packages > links;
}

/** `node_modules` folders among git's ignored entries (`node_modules/`, `packages/b/node_modules/`). */
function nodeModulesFolders(ignored: readonly string[]): string[] {
  return ignored.map((entry) => entry.replace(/\/$/, '')).filter((entry) => entry.split('/').pop() === 'node_modules');
}

interface MirrorContext {
  root: string;
  worktree: string;
  /** The main checkout's node_modules folders being mirrored (absolute). */
  mirrored: string[];
  ownPackages: string[];
}

interface Changes {
  added(path: string): void;
  updated(path: string): void;
  removed(path: string): void;
}

function mirrorContext(root: string, worktree: string, folders: readonly string[]): MirrorContext {
  return { root, worktree, mirrored: folders.map((folder) => join(root, folder)), ownPackages: [] };
}

/** Scope folders (`@acme`) and `.bin` are mirrored one level further; see linkDependencies. */
const mirroredDeeper = (entry: Dirent, top: boolean) => top && entry.isDirectory() && (entry.name.startsWith('@') || entry.name === '.bin');

async function mirror(context: MirrorContext, from: string, to: string, top: boolean): Promise<void> {
  await mkdir(to);
  for (const entry of await readdir(from, { withFileTypes: true })) await mirrorEntry(context, entry, join(from, entry.name), join(to, entry.name), top);
}

async function mirrorEntry(context: MirrorContext, entry: Dirent, source: string, destination: string, top: boolean): Promise<void> {
  if (entry.isSymbolicLink()) await symlink(await linkTarget(context, source, destination), destination);
  else if (mirroredDeeper(entry, top)) await mirror(context, source, destination, false);
  else if (entry.isDirectory()) await symlink(source, destination, 'dir');
  // Files at this level are package-manager metadata (.package-lock.json, .modules.yaml):
  // copied, so a tool rewriting them in the worktree never rewrites the main checkout's.
  // Sockets and pipes (a tool's leftovers) are skipped: copying a pipe would wait forever.
  else if (entry.isFile()) await copyFile(source, destination);
}

/** One level of an existing mirror: see refreshLinkedDependencies for what it may and may not touch. */
async function update(context: MirrorContext, changes: Changes, from: string, to: string, top: boolean): Promise<void> {
  const [sources, present] = await Promise.all([readdir(from, { withFileTypes: true }), readdir(to, { withFileTypes: true })]);
  const there = new Map(present.map((entry) => [entry.name, entry]));
  // Entries are independent: checked at once, so a thousand packages cost a few milliseconds.
  await Promise.all(sources.map((entry) => updateEntry(context, changes, entry, there.get(entry.name), join(from, entry.name), join(to, entry.name), top)));
  const inMain = new Set(sources.map((entry) => entry.name));
  for (const entry of present) {
    if (inMain.has(entry.name)) continue;
    const path = join(to, entry.name);
    if (entry.isSymbolicLink() && !existsSync(path)) {
      await unlink(path);
      changes.removed(path);
    } else if (top && entry.isDirectory() && (entry.name.startsWith('@') || entry.name === '.bin')) {
      await pruneBrokenLinks(changes, path);
    }
  }
}

async function updateEntry(
  context: MirrorContext,
  changes: Changes,
  entry: Dirent,
  existing: Dirent | undefined,
  source: string,
  destination: string,
  top: boolean,
): Promise<void> {
  if (!existing) {
    await mirrorEntry(context, entry, source, destination, top);
    if (entry.isSymbolicLink() || entry.isDirectory() || entry.isFile()) changes.added(destination);
  } else if (existing.isSymbolicLink()) {
    if (!(await staleLink(context, entry, source, destination))) return;
    await unlink(destination);
    await mirrorEntry(context, entry, source, destination, top);
    changes.updated(destination);
  } else if (existing.isDirectory()) {
    // A scope or .bin folder of the mirror is refreshed inside; any other real folder is kept.
    if (mirroredDeeper(entry, top)) await update(context, changes, source, destination, false);
  } else if (existing.isFile() && entry.isFile() && top) {
    // A metadata copy main has rewritten since (its install ran after the copy). A copy edited
    // in the worktree is newer than main's and stays.
    const [mine, theirs] = await Promise.all([stat(destination), stat(source)]);
    if (theirs.mtimeMs > mine.mtimeMs) {
      await copyFile(source, destination);
      changes.updated(destination);
    }
  }
}

/**
 * Whether the worktree's link for main's `entry` must be made again: it is broken, or it is one the
 * mirror made (pointing into the main checkout or the worktree) and main's entry now says otherwise
 * (pnpm: `is-odd -> .pnpm/is-odd@3.0.2/…` after an upgrade). A working link pointing anywhere else
 * is the user's own (`npm link`) and stays.
 */
async function staleLink(context: MirrorContext, entry: Dirent, source: string, destination: string): Promise<boolean> {
  if (!existsSync(destination)) return true;
  if (!entry.isSymbolicLink() && !entry.isDirectory()) return false;
  const text = await readlink(destination);
  const target = resolve(dirname(destination), text);
  if (!isInside(target, context.root) && !isInside(target, context.worktree)) return false;
  const expected = entry.isSymbolicLink() ? await linkTarget({ ...context, ownPackages: [] }, source, destination) : source;
  return text !== expected;
}

/** A scope folder main no longer has: its broken links go, and the folder too once they emptied it. */
async function pruneBrokenLinks(changes: Changes, dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  let left = entries.length;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink() && !existsSync(path)) {
      await unlink(path);
      changes.removed(path);
      left--;
    }
  }
  if (left === 0 && entries.length > 0) await rmdir(dir);
}

/**
 * What a copied link should point at. A link into the main checkout keeps pointing at the same
 * relative place, which in the worktree is the worktree's own file, as long as that place exists
 * there (a tracked package folder, or an entry of a mirrored node_modules). Anything else — a
 * build output only main has, a folder outside the checkout — is linked where it really is.
 */
async function linkTarget(context: MirrorContext, source: string, destination: string): Promise<string> {
  const text = await readlink(source);
  const target = resolve(dirname(source), text);
  if (!isInside(target, context.root)) return target;
  const counterpart = join(context.worktree, relative(context.root, target));
  const intoMirrored = context.mirrored.some((folder) => isInside(target, folder));
  if (!intoMirrored && !existsSync(counterpart)) return target;
  if (!intoMirrored) context.ownPackages.push(relative(context.worktree, destination).split(sep).join('/'));
  return isAbsolute(text) ? counterpart : text;
}
