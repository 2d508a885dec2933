import { GATE_TIERS, DEFAULT_PROFILE, knownGateNames, type GateTier } from './gate-catalog';
import { AUDIT_LEVELS, type AuditLevel } from './gates/judge';
import { DEPENDENCY_SETUPS, type DependencySetup, type GateSettings, type PlanSettings, type Problem } from './model';
import { ownershipProblem } from './parse-stage';
import { nearest } from './suggest';
import { readYamlFields, scalarListTexts, scalarText, type Field } from './yaml-fields';

export const SETTINGS_FIELDS = [
  'name', 'baseBranch', 'branchPattern', 'worktreeDir', 'copyIgnored', 'dependencies', 'ports',
  'sharedFiles', 'teamSize', 'gates', 'profiles',
] as const;

export const DEFAULT_SHARED_FILES = [
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml',
  'yarn.lock', 'bun.lock', 'bun.lockb', 'nx.json', '**/migrations/**',
];
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
// Characters git refuses in ref names, plus whitespace (git check-ref-format).
// eslint-disable-next-line no-control-regex
const BAD_REF_CHARACTERS = /[\u0000-\u0020\u007f~^:?*[\\]/;

export function defaultSettings(file: string, folder: string): PlanSettings {
  return {
    name: 'stages', branchPattern: 'stage-{id}', worktreeDir: '../{repo}-stage-{id}', copyIgnored: ['.env*'],
    dependencies: 'link', ports: { base: 4300, step: 10 }, sharedFiles: [...DEFAULT_SHARED_FILES],
    gates: {}, profiles: { default: [...DEFAULT_PROFILE] }, file, folder, lines: {},
  };
}

export interface ParsedSettings {
  settings: PlanSettings;
  problems: Problem[];
}

/** Parses `stages.yaml`; every field is optional and falls back to its default when invalid. */
export function parseSettings(text: string, file: string, folder: string): ParsedSettings {
  const { fields, problems } = readYamlFields(text, file);
  const settings = defaultSettings(file, folder);
  const error = (key: string, message: string, hint?: string) =>
    problems.push({ severity: 'error', code: 'settings-field', message, hint, file, line: fields.get(key)?.line });
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
    const reason = pattern === undefined ? 'must be text' : !pattern.includes('{id}') ? 'must contain {id}' : invalidRefReason(pattern.replaceAll('{id}', '1'));
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
  if (fields.has('ports')) readPorts(fields.get('ports')?.value, settings, error);
  if (fields.has('gates')) readGates(fields.get('gates')?.value, settings, error);
  if (fields.has('profiles')) readProfiles(fields.get('profiles')?.value, settings, error);

  for (const [key, field] of fields) {
    if ((SETTINGS_FIELDS as readonly string[]).includes(key)) continue;
    const guess = nearest(key, SETTINGS_FIELDS);
    problems.push({
      severity: 'warning', code: 'unknown-field', message: `unknown field "${key}"`,
      hint: guess ? `did you mean "${guess}"?` : `known fields: ${SETTINGS_FIELDS.join(', ')}`, file, line: field.line,
    });
  }
  return { settings, problems };
}

type ErrorAt = (key: string, message: string, hint?: string) => void;

function readText(field: Field | undefined): string | undefined {
  return typeof field?.value === 'string' ? scalarText(field.node) : undefined;
}

function readPatterns(fields: Map<string, Field>, key: string, error: ErrorAt): string[] | undefined {
  const field = fields.get(key);
  if (!field) return undefined;
  const patterns = scalarListTexts(field.node);
  if (!patterns) return error(key, `"${key}" must be a list of paths or globs`), undefined;
  const bad = patterns.find((pattern) => ownershipProblem(pattern));
  const problem = bad === undefined ? undefined : ownershipProblem(bad);
  if (problem) return error(key, `invalid entry ${JSON.stringify(bad)} in "${key}": ${problem.reason}`, problem.hint), undefined;
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

function readGates(value: unknown, settings: PlanSettings, error: ErrorAt): void {
  if (!isRecord(value)) return error('gates', '"gates" must map gate names to settings', 'e.g. gates: { coverage: { threshold: 85 } }');
  for (const [name, gate] of Object.entries(value)) {
    if (!isRecord(gate)) return error('gates', `gate "${name}" must be a mapping of settings`);
    if (gate.tier !== undefined && !GATE_TIERS.includes(gate.tier as GateTier)) {
      return error('gates', `gate "${name}" has tier ${JSON.stringify(gate.tier)}`, `use one of ${GATE_TIERS.join(', ')}`);
    }
    if (gate.threshold !== undefined && !(typeof gate.threshold === 'number' && gate.threshold >= 0 && gate.threshold <= 100)) {
      return error('gates', `gate "${name}" has threshold ${JSON.stringify(gate.threshold)}`, 'use a percentage from 0 to 100');
    }
    if (gate.target !== undefined && (typeof gate.target !== 'string' || !/^[\w:.-]+$/.test(gate.target))) {
      return error('gates', `gate "${name}" has target ${JSON.stringify(gate.target)}`, 'name an Nx target, e.g. target: tsc');
    }
    if (gate.allowSkipped !== undefined && typeof gate.allowSkipped !== 'boolean') {
      return error('gates', `gate "${name}" has allowSkipped ${JSON.stringify(gate.allowSkipped)}`, 'use true or false');
    }
    if (gate.level !== undefined && !AUDIT_LEVELS.includes(gate.level as AuditLevel)) {
      return error('gates', `gate "${name}" has level ${JSON.stringify(gate.level)}`, `use one of ${AUDIT_LEVELS.join(', ')}`);
    }
    if (gate.reports !== undefined && !(isRecord(gate.reports) && Object.entries(gate.reports).every(([kind, glob]) => ['junit', 'coverage'].includes(kind) && typeof glob === 'string' && glob.trim() !== ''))) {
      return error('gates', `gate "${name}" has unusable reports`, 'e.g. reports: { junit: "reports/**/*.xml", coverage: "**/coverage-summary.json" }');
    }
    if (gate.run !== undefined && (typeof gate.run !== 'string' || gate.run.trim() === '')) {
      return error('gates', `gate "${name}" has an empty or non-text "run"`, 'give the command to run, e.g. run: "nx affected -t e2e --base={base}"');
    }
  }
  settings.gates = value as Record<string, GateSettings>;
}

function readProfiles(value: unknown, settings: PlanSettings, error: ErrorAt): void {
  if (!isRecord(value)) return error('profiles', '"profiles" must map profile names to lists of gates');
  const known = knownGateNames(settings.gates);
  for (const [name, gates] of Object.entries(value)) {
    if (!Array.isArray(gates) || !gates.every((gate) => typeof gate === 'string')) {
      return error('profiles', `profile "${name}" must be a list of gate names`);
    }
    const unknown = gates.find((gate) => !known.has(gate));
    if (unknown !== undefined) {
      const guess = nearest(unknown, known);
      return error('profiles', `profile "${name}" uses unknown gate "${unknown}"`, guess ? `did you mean "${guess}"?` : 'define it under gates: with a run: command');
    }
  }
  settings.profiles = { default: [...DEFAULT_PROFILE], ...(value as Record<string, string[]>) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `name` cannot be a git branch name (git check-ref-format), or undefined. */
export function invalidRefReason(name: string): string | undefined {
  if (name === '' ) return 'is empty';
  if (BAD_REF_CHARACTERS.test(name)) return 'contains a space or one of ~ ^ : ? * [ \\';
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return 'contains "..", "@{" or "//"';
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.startsWith('-')) return 'starts or ends with "/", "." or "-"';
  if (name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) return 'has a part starting with "." or ending with ".lock"';
  return undefined;
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
