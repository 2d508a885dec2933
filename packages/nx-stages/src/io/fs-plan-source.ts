import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlan, requireValidSettings, type PlanSource } from '../core/load-plan';
import type { Plan } from '../core/model';

/** The plan as it is on disk under `workspaceRoot`. */
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

/**
 * The plan a command runs on, from disk: refused (InvalidSettingsError, with validate's lines)
 * when stages.yaml has errors, so no command acts on defaults put in place of what was written.
 */
export function loadCommandPlan(workspaceRoot: string, folder: string): Plan {
  return requireValidSettings(loadPlan(fsPlanSource(workspaceRoot), folder));
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
