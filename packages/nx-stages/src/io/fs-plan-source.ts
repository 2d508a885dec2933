import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanSource } from '../core/load-plan';

/**
 * The plan's files as they are on disk under `workspaceRoot`. Only the reading: the plugin serves an
 * unchanged plan from its cache without loading the parsers (io/command-plan.ts loads and checks).
 */
export function fsPlanSource(workspaceRoot: string): PlanSource {
  return {
    read(path) {
      try {
        return readFileSync(join(workspaceRoot, path), 'utf8');
      } catch (error) {
        // Missing is an answer; anything else (EACCES, EISDIR) must be reported, not read as "no file".
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    subfolders(path) {
      try {
        return readdirSync(join(workspaceRoot, path), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => entry.name);
      } catch {
        return [];
      }
    },
  };
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
