import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** More links than this in one path is a loop (the kernel's own limit is 40). */
const MAX_LINKS = 40;

/**
 * The file a write to `file` would really touch: absolute (relative to `cwd`), every symlink of
 * the part that exists resolved, `..` taken after the link it follows (as the OS does: with
 * `link -> /elsewhere/deep`, `link/../x` is `/elsewhere/x`, not `./x`). The part that does not
 * exist yet is added as written; a tool creates those folders, so its `..` are plain.
 */
export function realTarget(file: string, cwd: string): string {
  const absolute = isAbsolute(file) ? file : join(cwd, file);
  const pending = absolute.split(sep).filter((part) => part !== '' && part !== '.');
  let current = realpathSync(sep);
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    const link = symlinkTarget(next);
    if (link === undefined) {
      current = next;
      if (!exists(next)) return resolve(current, ...pending);
      continue;
    }
    if (++links > MAX_LINKS) return resolve(next, ...pending);
    // A link (dangling ones too: writing through one creates its target): follow what it says.
    const parts = link.split(sep).filter((piece) => piece !== '' && piece !== '.');
    if (isAbsolute(link)) current = realpathSync(sep);
    pending.unshift(...parts);
  }
  return current;
}

function symlinkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
