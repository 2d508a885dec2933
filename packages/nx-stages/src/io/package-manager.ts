import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageManagerFrom, type PackageManagerInfo } from '../core/package-manager';

/** yarn.lock's format shows in its first lines; a big lock file is not read whole for that. */
const YARN_LOCK_HEAD = 1024;

/**
 * The package manager of the checkout at `checkout` (see packageManagerFrom): reads the root
 * listing, package.json, .yarnrc.yml and the head of yarn.lock, whichever exist. Never throws for
 * a missing or unreadable file; an unreadable checkout reads as npm.
 */
export async function readPackageManager(checkout: string): Promise<PackageManagerInfo> {
  const rootFiles = await readdir(checkout).catch(() => [] as string[]);
  const has = (name: string) => rootFiles.includes(name);
  const text = (name: string) => (has(name) ? readFile(join(checkout, name), 'utf8').catch(() => undefined) : Promise.resolve(undefined));
  const [packageJson, yarnrc, yarnLock] = await Promise.all([text('package.json'), text('.yarnrc.yml'), has('yarn.lock') ? readHead(join(checkout, 'yarn.lock')) : undefined]);
  return packageManagerFrom({ rootFiles, packageJson, yarnrc, yarnLock });
}

async function readHead(path: string): Promise<string | undefined> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return undefined;
  try {
    const buffer = Buffer.alloc(YARN_LOCK_HEAD);
    const { bytesRead } = await file.read(buffer, 0, YARN_LOCK_HEAD, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}
