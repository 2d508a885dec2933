import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
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
  const folders = ignored
    .map((entry) => entry.replace(/\/$/, ''))
    .filter((entry) => entry.split('/').pop() === 'node_modules')
    .filter((folder) => existsSync(join(worktree, dirname(folder))) && !existsSync(join(worktree, folder)));
  const context: MirrorContext = { root, worktree, mirrored: folders.map((folder) => join(root, folder)), ownPackages: [] };
  for (const folder of folders) await mirror(context, join(root, folder), join(worktree, folder), true);
  return { folders, ownPackages: context.ownPackages.sort() };
}

interface MirrorContext {
  root: string;
  worktree: string;
  /** The main checkout's node_modules folders being mirrored (absolute). */
  mirrored: string[];
  ownPackages: string[];
}

async function mirror(context: MirrorContext, from: string, to: string, top: boolean): Promise<void> {
  await mkdir(to);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const destination = join(to, entry.name);
    if (entry.isSymbolicLink()) await symlink(await linkTarget(context, source, destination), destination);
    else if (entry.isDirectory() && top && (entry.name.startsWith('@') || entry.name === '.bin')) await mirror(context, source, destination, false);
    else if (entry.isDirectory()) await symlink(source, destination, 'dir');
    // Files at this level are package-manager metadata (.package-lock.json, .modules.yaml):
    // copied, so a tool rewriting them in the worktree never rewrites the main checkout's.
    // Sockets and pipes (a tool's leftovers) are skipped: copying a pipe would wait forever.
    else if (entry.isFile()) await copyFile(source, destination);
  }
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
