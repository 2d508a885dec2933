import { loadPlan, requireValidSettings } from '../core/load-plan';
import type { Plan } from '../core/model';
import { fsPlanSource } from './fs-plan-source';

/**
 * The plan a command runs on, from disk: refused (InvalidSettingsError, with validate's lines)
 * when stages.yaml has errors, so no command acts on defaults put in place of what was written.
 */
export function loadCommandPlan(workspaceRoot: string, folder: string): Plan {
  return requireValidSettings(loadPlan(fsPlanSource(workspaceRoot), folder));
}
