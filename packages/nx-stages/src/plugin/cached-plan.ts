import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as LoadPlan from '../core/load-plan';
import type { PlanSource } from '../core/load-plan';
import type { GateSettings, Plan } from '../core/model';
import { plainRecord } from '../core/own';
import type * as ParseStage from '../core/parse-stage';
import type { ParsedStage } from '../core/parse-stage';
import { joinPath, PLAN_FILE, STAGE_FILE } from '../core/plan-files';
import { pluginVersion } from '../io/plugin-version';
import { fsPlanSource } from '../io/fs-plan-source';

/**
 * Parsing every stage file on every Nx command would make large plans slow, so parses are
 * cached by content hash at two levels: the whole plan (nothing changed: no work at all) and each
 * stage file (one edit: one file parsed again). Both live in memory (for the daemon, and for
 * createDependencies, which runs in the same process after createNodes) and in Nx's workspace
 * data folder (for the next command: without the daemon, every Nx command is a new process, and
 * an unchanged plan must not cost a thousand stage look-ups and the settings parse again).
 */
interface CachedParse {
  hash: string;
  parsed: ParsedStage;
}

interface CachedPlan {
  hash: string;
  plan: Plan;
}

/**
 * The cache's own layout; the plugin's version is part of the key too, so an upgrade never reads old parses.
 * `plans` (whole plans by folder) was added without a new version: a file without it still serves its stage parses.
 */
const CACHE_VERSION = 2;
const plans = new Map<string, CachedPlan>();
const stageFiles = new Map<string, CachedParse>();
let diskLoadedFrom: string | undefined;
let diskDirty = false;

/**
 * The parsers, loaded on the first plan or stage file that changed: Nx loads the plugin on every
 * command, and an unchanged plan comes from the cache without them (nor their YAML, validation and
 * gate modules).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const parsers = {
  loadPlan: (...args: Parameters<typeof LoadPlan.loadPlan>) => (require('../core/load-plan') as typeof LoadPlan).loadPlan(...args),
  parseStage: (...args: Parameters<typeof ParseStage.parseStage>) => (require('../core/parse-stage') as typeof ParseStage).parseStage(...args),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export function loadPlanCached(workspaceRoot: string, folder: string): Plan {
  loadDiskCache(workspaceRoot);
  const snapshot = snapshotPlan(fsPlanSource(workspaceRoot), folder);
  const key = `${workspaceRoot}\0${folder}`;
  const cached = plans.get(key);
  if (cached && cached.hash === snapshot.hash) return cached.plan;
  const plan = parsers.loadPlan(snapshot.source, folder, (text, file, stageFolder) => parseCached(workspaceRoot, text, file, stageFolder));
  plans.set(key, { hash: snapshot.hash, plan });
  diskDirty = true;
  return plan;
}

/** The plan each folder had when createNodes last loaded it in this process. */
const plansOfNodes = new Map<string, Plan>();

/** The plan for createNodes: remembered as the one this process's project graph nodes come from. */
export function loadPlanForNodes(workspaceRoot: string, folder: string): Plan {
  const plan = loadPlanCached(workspaceRoot, folder);
  plansOfNodes.set(`${workspaceRoot}\0${folder}`, plan);
  return plan;
}

/**
 * The plan createNodes made the graph's nodes from. Nx calls createDependencies after createNodes,
 * in the same process (with isolation: the same plugin worker), for the same graph, so the plan
 * is not read and hashed a second time; and edges always come from the plan the nodes came from.
 * Read from disk when createNodes did not run in this process.
 */
export function planOfNodes(workspaceRoot: string, folder: string): Plan {
  return plansOfNodes.get(`${workspaceRoot}\0${folder}`) ?? loadPlanCached(workspaceRoot, folder);
}

function parseCached(workspaceRoot: string, text: string, file: string, folder: string): ParsedStage {
  const key = `${workspaceRoot}\0${file}`;
  const hash = hashText(`${folder}\0${text}`);
  const cached = stageFiles.get(key);
  if (cached && cached.hash === hash) return cached.parsed;
  const parsed = parsers.parseStage(text, file, folder);
  stageFiles.set(key, { hash, parsed });
  diskDirty = true;
  return parsed;
}

/** Writes the stage-file cache to disk when something changed; called once per createNodes run. */
export function saveDiskCache(workspaceRoot: string): void {
  if (!diskDirty) return;
  const file = cacheFile(workspaceRoot);
  const prefix = `${workspaceRoot}\0`;
  const ofThisWorkspace = <T>(cache: Map<string, T>) =>
    Object.fromEntries([...cache].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
  const entries = ofThisWorkspace(stageFiles);
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    // Write then rename, so parallel Nx processes never read a half-written file.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: CACHE_VERSION, plugin: pluginVersion(), entries, plans: ofThisWorkspace(plans) }));
    renameSync(temporary, file);
    diskDirty = false;
  } catch {
    // A cache that cannot be written only costs speed.
  }
}

function loadDiskCache(workspaceRoot: string): void {
  if (diskLoadedFrom === workspaceRoot) return;
  diskLoadedFrom = workspaceRoot;
  try {
    const data = JSON.parse(readFileSync(cacheFile(workspaceRoot), 'utf8'));
    if (data.version !== CACHE_VERSION || data.plugin !== pluginVersion()) return;
    for (const [file, entry] of Object.entries(data.entries as Record<string, CachedParse>)) {
      const key = `${workspaceRoot}\0${file}`;
      if (!stageFiles.has(key)) stageFiles.set(key, entry);
    }
    for (const [folder, entry] of Object.entries((data.plans ?? {}) as Record<string, CachedPlan>)) {
      const key = `${workspaceRoot}\0${folder}`;
      if (!plans.has(key)) plans.set(key, { hash: entry.hash, plan: revivePlan(entry.plan) });
    }
  } catch {
    // No cache yet, or an unreadable one: parse from scratch.
  }
}

/**
 * A plan as JSON.parse gives it back, with the records keyed by names users write (gates,
 * profiles) made prototype-free again, as the parser makes them (core/own.ts).
 */
function revivePlan(plan: Plan): Plan {
  const { settings } = plan;
  return {
    ...plan,
    settings: { ...settings, gates: Object.assign(plainRecord<GateSettings>(), settings.gates), profiles: Object.assign(plainRecord<string[]>(), settings.profiles) },
  };
}

function cacheFile(workspaceRoot: string): string {
  const dataDirectory = process.env.NX_WORKSPACE_DATA_DIRECTORY ?? join(workspaceRoot, '.nx', 'workspace-data');
  return join(dataDirectory, 'nx-stages-plans.json');
}

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads the plan's files once, hashes them, and serves them to the parser from memory. */
function snapshotPlan(source: PlanSource, folder: string): { hash: string; source: PlanSource } {
  const files = new Map<string, string | undefined>();
  // An unreadable file is read again when parsed, so loadPlan reports why (never cached as missing).
  const unreadable = new Set<string>();
  const hash = createHash('sha256').update(`v${CACHE_VERSION}\0`);
  const add = (path: string) => {
    let text: string | undefined;
    try {
      text = source.read(path);
      files.set(path, text);
    } catch {
      unreadable.add(path);
    }
    hash
      .update(path)
      .update('\0')
      .update(unreadable.has(path) ? '\u0002unreadable' : (text ?? '\u0001missing'))
      .update('\0');
  };
  add(joinPath(folder, PLAN_FILE));
  const subfolders = source.subfolders(folder).sort();
  for (const sub of subfolders) add(joinPath(folder, sub, STAGE_FILE));
  return {
    hash: hash.digest('hex'),
    source: {
      read: (path) => (files.has(path) ? files.get(path) : source.read(path)),
      subfolders: (path) => (path === folder ? subfolders : source.subfolders(path)),
    },
  };
}
