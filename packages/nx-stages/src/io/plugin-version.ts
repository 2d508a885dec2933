import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let version: string | undefined;

/** nx-stages' own version (from its package.json, beside src/ and dist/ alike): part of every cache key. */
export function pluginVersion(): string {
  if (version === undefined) {
    try {
      version = String((JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown');
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
