import { parseDuration } from './duration';
import { globSyntaxProblem, unusablePatternReason } from './glob-overlap';
import { invalidIdReason } from './ids';
import { PRIORITIES, type Priority, type Problem, type ServeChoice, type Stage } from './model';
import { nearest } from './suggest';
import { readYamlFields, scalarListTexts, scalarText, type Field } from './yaml-fields';

export const STAGE_FIELDS = ['id', 'name', 'duration', 'priority', 'dependsOn', 'files', 'profile', 'assignee', 'deliverables', 'value', 'serve'] as const;

const MAX_NAME_LENGTH = 200;
const ASSIGNEE_PATTERN = /^[\p{L}\p{N}._@-]+$/u;
// Control characters would corrupt one-line outputs (tables, commit subjects).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export interface ParsedStage {
  /** Undefined when the file has errors: such a stage is left out of the plan. */
  stage?: Stage;
  problems: Problem[];
}

/** Parses one `stage.yaml`. `file` and `folder` are workspace-relative, `/`-separated. */
export function parseStage(text: string, file: string, folder: string): ParsedStage {
  const { fields, problems } = readYamlFields(text, file);
  if (problems.length > 0) return { problems };
  const error = (field: string, message: string, hint?: string) => problems.push({ severity: 'error', code: 'stage-field', message, hint, file, line: fields.get(field)?.line });

  const idField = fields.get('id');
  const id = idField ? scalarText(idField.node) : undefined;
  if (!idField) {
    problems.push({ severity: 'error', code: 'stage-field', message: 'missing required field "id"', hint: 'add an id such as id: "9.1"', file, line: 1 });
  } else {
    const reason = invalidIdReason(id ?? idField.value);
    if (reason) error('id', `invalid id ${JSON.stringify(id ?? idField.value)}: ${reason}`, 'use an id such as "9.1" or "auth-2"');
  }

  const name = readText(fields.get('name'));
  if (name === undefined) error('name', fields.has('name') ? '"name" must be text' : 'missing required field "name"', 'add a name such as name: Dashboard UI');
  else if (name.trim() === '') error('name', '"name" is empty');
  else if (name.length > MAX_NAME_LENGTH) error('name', `"name" is ${name.length} characters long (at most ${MAX_NAME_LENGTH})`);
  else if (CONTROL_CHARACTERS.test(name)) error('name', '"name" must be a single line without control characters');

  const durationText = scalarText(fields.get('duration')?.node);
  const durationDays = parseDuration(durationText);
  if (!fields.has('duration')) error('duration', 'missing required field "duration"', 'add a duration such as duration: 1w (1w = 5 working days; 3d, 1.5w also work)');
  else if (durationDays === undefined || durationDays <= 0)
    error('duration', `invalid duration ${JSON.stringify(durationText ?? fields.get('duration')?.value)}`, 'write a positive number of working days or weeks: 3d, 1w, 1.5w');

  const priority = fields.has('priority') ? scalarText(fields.get('priority')?.node) : 'P1';
  if (!PRIORITIES.includes(priority as Priority)) error('priority', `invalid priority ${JSON.stringify(priority ?? fields.get('priority')?.value)}`, 'use P0, P1 or P2');

  const dependsOn = readList(fields.get('dependsOn'), 'dependsOn', error, 'stage ids, e.g. ["9.1"]') ?? [];
  for (const dependency of dependsOn) {
    const reason = invalidIdReason(dependency);
    if (reason) error('dependsOn', `invalid dependency id ${JSON.stringify(dependency)}: ${reason}`);
  }
  const files = readList(fields.get('files'), 'files', error, 'paths or globs, e.g. ["src/app/**"]') ?? [];
  files.forEach((pattern, index) => {
    const problem = ownershipProblem(pattern);
    if (!problem) return;
    problems.push({
      severity: 'error',
      code: 'stage-field',
      message: `invalid file entry ${JSON.stringify(pattern)}: ${problem.reason}`,
      hint: problem.hint ?? 'list paths relative to the workspace root, e.g. src/app/**',
      file,
      line: fields.get('files')?.itemLines?.[index] ?? fields.get('files')?.line,
    });
  });
  const deliverables = readList(fields.get('deliverables'), 'deliverables', error, 'short texts') ?? [];

  const profile = fields.has('profile') ? readText(fields.get('profile')) : 'default';
  if (profile === undefined || profile.trim() === '') error('profile', '"profile" must be the name of a gate profile in stages.yaml');

  const assignee = fields.has('assignee') ? readText(fields.get('assignee')) : undefined;
  if (fields.has('assignee') && (assignee === undefined || !ASSIGNEE_PATTERN.test(assignee))) {
    error('assignee', `invalid assignee ${JSON.stringify(fields.get('assignee')?.value)}`, 'use a handle without spaces, e.g. alice or bob.smith');
  }
  const value = fields.has('value') ? readText(fields.get('value')) : undefined;
  if (fields.has('value') && value === undefined) error('value', '"value" must be text: what users can do once this stage is merged');

  const serve = fields.has('serve') ? readServe(fields.get('serve') as Field, error) : undefined;

  for (const [key, field] of fields) {
    if ((STAGE_FIELDS as readonly string[]).includes(key)) continue;
    const guess = nearest(key, STAGE_FIELDS);
    problems.push({
      severity: 'warning',
      code: 'unknown-field',
      message: `unknown field "${key}"`,
      hint: guess ? `did you mean "${guess}"?` : `known fields: ${STAGE_FIELDS.join(', ')}`,
      file,
      line: field.line,
    });
  }

  if (problems.some((problem) => problem.severity === 'error')) return { problems };
  const lines = Object.fromEntries([...fields].map(([key, field]) => [key, field.line]));
  const stage: Stage = {
    id: id as string,
    name: name as string,
    duration: (durationText as string).trim(),
    durationDays: durationDays as number,
    priority: priority as Priority,
    dependsOn,
    files,
    profile: profile as string,
    deliverables,
    folder,
    file,
    lines,
  };
  if (assignee !== undefined) stage.assignee = assignee;
  if (value !== undefined && value.trim() !== '') stage.value = value.trim();
  if (serve) stage.serve = serve;
  return { stage, problems };
}

const SERVE_KEYS = ['project', 'target'] as const;
/** A project or target name as one argument of `nx run <project>:<target>`: no `:`, no spaces, no leading `-`. */
const NX_NAME = /^[A-Za-z0-9@_][\w@./-]*$/;

/** `serve: { project: cart, target: serve }`: the target defaults to `serve`. */
function readServe(field: Field, error: (field: string, message: string, hint?: string) => void): ServeChoice | undefined {
  const example = 'write serve: { project: cart, target: serve }';
  const value = field.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    error('serve', '"serve" must be a mapping with the project (and target) of the dev server', example);
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(SERVE_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    error('serve', `unknown key${unknown.length > 1 ? 's' : ''} in "serve": ${unknown.join(', ')}`, `"serve" takes ${SERVE_KEYS.join(' and ')}; ${example}`);
    return undefined;
  }
  const project = record.project;
  const target = record.target ?? 'serve';
  if (typeof project !== 'string' || !NX_NAME.test(project)) {
    error('serve', project === undefined ? '"serve" names no project' : `"serve.project" must be the name of an Nx project, not ${JSON.stringify(project)}`, example);
    return undefined;
  }
  if (typeof target !== 'string' || !NX_NAME.test(target)) {
    error('serve', `"serve.target" must be the name of a target, not ${JSON.stringify(target)}`, example);
    return undefined;
  }
  return { project, target };
}

function readText(field: Field | undefined): string | undefined {
  const text = field ? scalarText(field.node) : undefined;
  return typeof field?.value === 'string' || typeof field?.value === 'number' ? text : undefined;
}

function readList(field: Field | undefined, key: string, error: (field: string, message: string, hint?: string) => void, what: string): string[] | undefined {
  if (!field || field.value === null) return undefined;
  const texts = scalarListTexts(field.node);
  if (texts === undefined) error(key, `"${key}" must be a list of ${what}`);
  return texts;
}

/** Ownership entries are workspace-relative; anything pointing elsewhere cannot be owned. */
export function invalidOwnershipReason(pattern: string): string | undefined {
  return ownershipProblem(pattern)?.reason;
}

/** Why an ownership entry is refused, and what to write instead when there is more to say than the reason. */
export function ownershipProblem(pattern: string): { reason: string; hint?: string } | undefined {
  if (pattern.trim() === '') return { reason: 'empty entry' };
  if (pattern.startsWith('/') || /^[A-Za-z]:[\\/]/.test(pattern)) return { reason: 'absolute paths are not allowed' };
  if (pattern.split(/[\\/]/).includes('..')) return { reason: '".." would point outside the workspace' };
  if (CONTROL_CHARACTERS.test(pattern)) return { reason: 'control characters are not allowed' };
  const broken = globSyntaxProblem(pattern);
  if (broken) return broken;
  const unusable = unusablePatternReason(pattern);
  return unusable ? { reason: unusable } : undefined;
}
