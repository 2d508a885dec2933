import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanSource } from '../core/load-plan';

/** The plan as it is on disk under `workspaceRoot`. */
export function fsPlanSource(workspaceRoot: string): PlanSource {
  return {
    read(path) {
      try {
        return readFileSync(join(workspaceRoot, path), 'utf8');
      } catch {
        return undefined;
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
