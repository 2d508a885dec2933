import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../core/model';
import { joinPath, PLAN_FILE, STAGE_FILE } from '../core/plan-files';
import { pluginVersion } from './plugin-version';

/** The plan as the guard needs it: none (not an nx-stages workspace), the plan, or why it cannot be used. */
export type GuardPlan = { kind: 'none' } | { kind: 'plan'; plan: Plan } | { kind: 'invalid'; message: string; hint: string };

/** The cache's own layout; the plugin's version is part of the key too. */
const CACHE_VERSION = 1;

/**
 * The plan of the workspace at `root`, for a hook that runs before every edit: loading the YAML
 * parser costs more than all the guard's other work, so a plan whose files have not changed
 * since the last call (same size, times and inode of stages.yaml and of every stage.yaml) comes
 * from a JSON copy in Nx's workspace data folder, and the parser is loaded only when one did.
 * Only plans whose settings are valid are kept; a broken one is read (and refused) every time.
 */
export async function readGuardPlan(root: string, folder: string): Promise<GuardPlan> {
  const key = planKey(root, folder);
  if (key === undefined) return { kind: 'none' };
  const file = cacheFile(root);
  const cached = readCache(file);
  if (cached?.key === key) return { kind: 'plan', plan: cached.plan };
  const { InvalidSettingsError, loadPlan, requireValidSettings } = await import('../core/load-plan');
  const { fsPlanSource } = await import('./fs-plan-source');
  let plan: Plan;
  try {
    plan = requireValidSettings(loadPlan(fsPlanSource(root), folder));
  } catch (error) {
    if (!(error instanceof InvalidSettingsError)) throw error;
    const [message, ...rest] = error.message.split('\n');
    return { kind: 'invalid', message, hint: rest.join('\n').trim() };
  }
  writeCache(file, key, plan);
  return { kind: 'plan', plan };
}

/** What the plan's files are now, without reading them; undefined when there is no stages.yaml. */
function planKey(root: string, folder: string): string | undefined {
  const settings = stamp(join(root, joinPath(folder, PLAN_FILE)));
  if (settings === undefined) return undefined;
  let subfolders: string[] = [];
  try {
    subfolders = readdirSync(join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    // no folder: loadPlan finds no stages either
  }
  const stages = subfolders.map((sub) => `${sub}\0${stamp(join(root, joinPath(folder, sub, STAGE_FILE))) ?? '-'}`);
  return [CACHE_VERSION, pluginVersion(), root, folder, settings, ...stages].join('\n');
}

function stamp(path: string): string | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}` : undefined;
}

function cacheFile(root: string): string {
  const dataDirectory = process.env.NX_WORKSPACE_DATA_DIRECTORY ?? join(root, '.nx', 'workspace-data');
  return join(dataDirectory, 'nx-stages-guard-plan.json');
}

function readCache(file: string): { key: string; plan: Plan } | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; plan?: Plan };
    return typeof data.key === 'string' && data.plan ? { key: data.key, plan: data.plan } : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, key: string, plan: Plan): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    // Write then rename: hooks of parallel agents never read half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key, plan }));
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
