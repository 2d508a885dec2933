import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version of package `name` that Node would find from `fromDir`: the nearest
 * `node_modules/<name>` up the folders. Reads package.json directly because a package's
 * `exports` may not expose it to require.resolve.
 */
export function installedVersion(fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    try {
      const { version } = JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version?: unknown };
      return typeof version === 'string' ? version : 'unknown';
    } catch {
      // Not installed here: look one folder up.
    }
    if (dirname(dir) === dir) return undefined;
  }
}
