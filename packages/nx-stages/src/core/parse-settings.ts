import { DEPENDENCY_SETUPS, type DependencySetup, type GateSettings, type PlanSettings, type Problem } from './model';
import { plainRecord } from './own';
import { defaultProfiles, readGates, readProfiles, type ErrorAt } from './parse-gate-settings';
import { ownershipProblem } from './parse-stage';
import { DEFAULT_PROOF_SETTINGS, readProofSettings } from './proof-settings';
import { nearest } from './suggest';
import { unsafeBranchReason } from './worktree-layout';
import { readYamlFields, scalarListTexts, scalarText, type Field } from './yaml-fields';

export const SETTINGS_FIELDS = [
  'name',
  'baseBranch',
  'branchPattern',
  'worktreeDir',
  'copyIgnored',
  'dependencies',
  'ports',
  'sharedFiles',
  'teamSize',
  'gates',
  'profiles',
  'proofs',
  'remote',
  'push',
] as const;

export const DEFAULT_SHARED_FILES = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
  'nx.json',
  '**/migrations/**',
];
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Characters git refuses in ref names, plus whitespace (git check-ref-format).
// eslint-disable-next-line no-control-regex
const BAD_REF_CHARACTERS = /[\u0000-\u0020\u007f~^:?*[\\]/;

export function defaultSettings(file: string, folder: string): PlanSettings {
  return {
    name: 'stages',
    branchPattern: 'stage-{id}',
    worktreeDir: '../{repo}-stage-{id}',
    copyIgnored: ['.env*'],
    dependencies: 'link',
    ports: { base: 4300, step: 10 },
    sharedFiles: [...DEFAULT_SHARED_FILES],
    gates: plainRecord<GateSettings>(),
    profiles: defaultProfiles(),
    proofs: { ...DEFAULT_PROOF_SETTINGS },
    file,
    folder,
    lines: {},
  };
}

export interface ParsedSettings {
  settings: PlanSettings;
  problems: Problem[];
}

/**
 * Parses `stages.yaml`; every field is optional. An invalid one is an error and keeps its default
 * here, so the plugin can still show the graph; commands refuse such settings (load-plan.ts).
 */
export function parseSettings(text: string, file: string, folder: string): ParsedSettings {
  const { fields, problems } = readYamlFields(text, file);
  const settings = defaultSettings(file, folder);
  const error: ErrorAt = (key, message, hint, line) => problems.push({ severity: 'error', code: 'settings-field', message, hint, file, line: line ?? fields.get(key)?.line });
  const text_ = (key: string) => readText(fields.get(key));

  settings.lines = Object.fromEntries([...fields].map(([key, field]) => [key, field.line]));
  if (fields.has('name')) {
    const name = text_('name');
    if (name && PROJECT_NAME.test(name)) settings.name = name;
    else error('name', `invalid plan name ${JSON.stringify(fields.get('name')?.value)}`, 'use letters, digits, ".", "_" and "-" (it becomes the Nx project name)');
  }
  if (fields.has('baseBranch')) {
    const branch = text_('baseBranch');
    const reason = branch === undefined ? 'must be text' : invalidRefReason(branch);
    if (reason) error('baseBranch', `invalid baseBranch: ${reason}`, 'name an existing branch such as main, or remove the field to detect it from git');
    else settings.baseBranch = branch;
  }
  if (fields.has('branchPattern')) {
    const pattern = text_('branchPattern');
    const reason = pattern === undefined ? 'must be text' : branchPatternReason(pattern);
    if (reason) error('branchPattern', `invalid branchPattern: ${reason}`, 'use a pattern such as stage-{id} or feature/stage-{id}');
    else settings.branchPattern = pattern as string;
  }
  if (fields.has('worktreeDir')) {
    const pattern = text_('worktreeDir');
    const reason = pattern === undefined ? 'must be text' : invalidWorktreeDirReason(pattern);
    if (reason) error('worktreeDir', `invalid worktreeDir: ${reason}`, 'use a folder outside the workspace such as ../{repo}-stage-{id}');
    else settings.worktreeDir = pattern as string;
  }
  settings.copyIgnored = readPatterns(fields, 'copyIgnored', error) ?? settings.copyIgnored;
  settings.sharedFiles = readPatterns(fields, 'sharedFiles', error) ?? settings.sharedFiles;
  if (fields.has('dependencies')) {
    const setup = text_('dependencies');
    if (DEPENDENCY_SETUPS.includes(setup as DependencySetup)) settings.dependencies = setup as DependencySetup;
    else error('dependencies', `invalid dependencies ${JSON.stringify(fields.get('dependencies')?.value)}`, 'use link (share node_modules), install or none');
  }
  if (fields.has('teamSize')) {
    const size = fields.get('teamSize')?.value;
    if (Number.isInteger(size) && (size as number) >= 1) settings.teamSize = size as number;
    else error('teamSize', `invalid teamSize ${JSON.stringify(size)}`, 'use a whole number of people, at least 1');
  }
  if (fields.has('remote')) {
    const remote = text_('remote');
    // A remote's name follows the ref rules (git remote add refuses the rest).
    if (remote !== undefined && !invalidRefReason(remote) && !remote.includes('/')) settings.remote = remote;
    else error('remote', `invalid remote ${JSON.stringify(fields.get('remote')?.value)}`, 'name a remote of this repository such as origin, or write none to work locally');
  }
  if (fields.has('push')) {
    const push = fields.get('push')?.value;
    if (typeof push === 'boolean') settings.push = push;
    else error('push', `invalid push ${JSON.stringify(push)}`, 'use true (worktree, proof, merge and clean publish what they change) or false');
  }
  if (fields.has('ports')) readPorts(fields.get('ports')?.value, settings, error);
  const gatesField = fields.get('gates');
  if (gatesField) settings.gates = readGates(gatesField, error) ?? settings.gates;
  const profilesField = fields.get('profiles');
  if (profilesField) settings.profiles = readProfiles(profilesField, settings.gates, error) ?? settings.profiles;
  if (fields.has('proofs')) {
    const read = readProofSettings(fields.get('proofs')?.value);
    settings.proofs = read.settings;
    for (const problem of read.problems) error('proofs', problem.message, problem.hint);
  }

  for (const [key, field] of fields) {
    if ((SETTINGS_FIELDS as readonly string[]).includes(key)) continue;
    const guess = nearest(key, SETTINGS_FIELDS);
    problems.push({
      severity: 'warning',
      code: 'unknown-field',
      message: `unknown field "${key}"`,
      hint: guess ? `did you mean "${guess}"?` : `known fields: ${SETTINGS_FIELDS.join(', ')}`,
      file,
      line: field.line,
    });
  }
  return { settings, problems };
}

function readText(field: Field | undefined): string | undefined {
  return typeof field?.value === 'string' ? scalarText(field.node) : undefined;
}

function readPatterns(fields: Map<string, Field>, key: string, error: ErrorAt): string[] | undefined {
  const field = fields.get(key);
  if (!field) return undefined;
  const patterns = scalarListTexts(field.node);
  if (!patterns) return (error(key, `"${key}" must be a list of paths or globs`), undefined);
  const bad = patterns.find((pattern) => ownershipProblem(pattern));
  const problem = bad === undefined ? undefined : ownershipProblem(bad);
  if (problem) return (error(key, `invalid entry ${JSON.stringify(bad)} in "${key}": ${problem.reason}`, problem.hint), undefined);
  return patterns;
}

function readPorts(value: unknown, settings: PlanSettings, error: ErrorAt): void {
  const ports = value as { base?: unknown; step?: unknown } | null;
  const valid = (port: unknown, min: number) => port === undefined || (Number.isInteger(port) && (port as number) >= min && (port as number) <= 65535);
  if (!ports || typeof ports !== 'object' || Array.isArray(ports) || !valid(ports.base, 1024) || !valid(ports.step, 1)) {
    return error('ports', 'invalid ports', 'use ports: { base: 4300, step: 10 } (base 1024–65535)');
  }
  settings.ports = { base: (ports.base as number) ?? settings.ports.base, step: (ports.step as number) ?? settings.ports.step };
}

/** Why `name` cannot be a git branch name (git check-ref-format), or undefined. */
export function invalidRefReason(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (BAD_REF_CHARACTERS.test(name)) return 'contains a space or one of ~ ^ : ? * [ \\';
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return 'contains "..", "@{" or "//"';
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.startsWith('-')) return 'starts or ends with "/", "." or "-"';
  if (name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return 'has a part starting with "." or ending with ".lock"';
  return undefined;
}

/** Why a branch pattern cannot name stage branches safely, judged on a sample id; undefined when it can. */
function branchPatternReason(pattern: string): string | undefined {
  if (!pattern.includes('{id}')) return 'must contain {id}';
  const sample = pattern.replaceAll('{id}', '1');
  return invalidRefReason(sample) ?? unsafeBranchReason(sample);
}

/** Worktrees nested in the workspace make Nx see every project twice, so the folder must be outside. */
function invalidWorktreeDirReason(pattern: string): string | undefined {
  if (!pattern.includes('{id}')) return 'must contain {id} so every stage gets its own folder';
  if (pattern.startsWith('/')) return undefined;
  // Resolve the pattern from the workspace root; `../{repo}` is the workspace itself again.
  const parts: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part === '{repo}' && parts.length === 1 && parts[0] === '..') parts.pop();
    else parts.push(part);
  }
  return parts[0] === '..' ? undefined : 'is inside the workspace (Nx would see every project twice)';
}
