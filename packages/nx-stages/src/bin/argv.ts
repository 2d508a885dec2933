import { parseArgs } from 'node:util';
import { nearest } from '../core/suggest';

/**
 * A flag of a verb; a string flag names the value it takes, for the usage line. A toggle is a
 * boolean that is on unless turned off (`--no-tag`, `--noTag`), as Nx reads `--no-<flag>`.
 */
type Flag = { type: 'boolean' } | { type: 'toggle' } | { type: 'switch' } | { type: 'string'; value: string };

const BOOLEAN: Flag = { type: 'boolean' };
const TOGGLE: Flag = { type: 'toggle' };
/** Given on or off (`--push`, `--no-push`), else a setting of stages.yaml decides. */
const SWITCH: Flag = { type: 'switch' };
const value = (label: string): Flag => ({ type: 'string', value: label });

/**
 * Every verb of the bin and the exact flags it takes, written in camelCase and accepted in
 * kebab-case too (`--dryRun`, `--dry-run`), as Nx accepts them. Anything else is an error: a flag
 * the bin ignored once made `clean --dry-run` really remove worktrees.
 */
export const VERBS = {
  go: { id: true, flags: {} },
  worktree: { id: true, flags: { stack: BOOLEAN, base: value('<branch>'), dependencies: value('link|install|none'), dryRun: BOOLEAN, push: SWITCH } },
  status: { id: false, flags: { json: BOOLEAN, by: value('assignee'), fetch: BOOLEAN, resources: BOOLEAN } },
  conflicts: { id: false, flags: { json: BOOLEAN, base: value('<branch>'), fetch: BOOLEAN, uncommitted: BOOLEAN } },
  clean: { id: false, flags: { dryRun: BOOLEAN, deleteBranch: BOOLEAN, force: BOOLEAN, push: SWITCH } },
  validate: { id: false, flags: { json: BOOLEAN } },
  doctor: { id: false, flags: { json: BOOLEAN } },
  plan: { id: false, flags: { teamSize: value('N') } },
  list: { id: false, flags: { json: BOOLEAN } },
  ready: { id: false, flags: { json: BOOLEAN } },
  guard: { id: false, flags: {} },
  gates: { id: true, flags: { base: value('<branch>'), inPlace: BOOLEAN, parallel: value('N'), fastFail: TOGGLE, force: BOOLEAN, json: BOOLEAN } },
  proof: { id: true, flags: { base: value('<branch>'), inPlace: BOOLEAN, review: value('<text>'), commit: TOGGLE, tag: TOGGLE, push: SWITCH } },
  verify: { id: true, flags: { remeasure: BOOLEAN, json: BOOLEAN } },
  sync: { id: true, flags: { strategy: value('merge|rebase'), base: value('<branch>'), refreshDependencies: BOOLEAN, fetch: BOOLEAN } },
  // Without an id: the merge queue, as `nx run stages:merge`.
  merge: { id: 'optional', flags: { base: value('<branch>'), cleanup: BOOLEAN, deleteBranch: BOOLEAN, push: SWITCH } },
  exec: { id: false, command: true, flags: { stages: value('<id,id>'), group: value('<letter>'), parallel: value('N'), json: BOOLEAN } },
  mcp: { id: false, flags: {} },
} satisfies Record<string, { id: boolean | 'optional'; command?: boolean; flags: Record<string, Flag> }>;

export type Verb = keyof typeof VERBS;

/** Taken by every verb. */
const COMMON: Record<string, Flag> = { plan: value('<folder>'), help: BOOLEAN };

export type CommandLine =
  | { kind: 'help'; verb?: Verb; exitCode: number }
  /** `command`: what follows `--` for a verb that runs one (exec), exactly as given. */
  | { kind: 'run'; verb: Verb; id?: string; flags: Record<string, string | boolean>; command?: string[] }
  | { kind: 'error'; message: string };

const NO_COMMAND = (verb: Verb) => `which command? Give it after --, as in \`nx-stages ${verb} -- npm test\``;

/** A verb that runs a command the user gives after `--`. */
const takesCommand = (verb: Verb) => 'command' in VERBS[verb];

/** `nx-stages clean [--dry-run] [--delete-branch] [--force] [--plan=<folder>]` */
export function verbUsage(verb: Verb): string {
  const flags = Object.entries({ ...VERBS[verb].flags, plan: COMMON.plan }).map(
    ([name, flag]) => `[--${flag.type === 'toggle' ? 'no-' : flag.type === 'switch' ? '[no-]' : ''}${kebab(name)}${flag.type === 'string' ? `=${flag.value}` : ''}]`,
  );
  return [
    'nx-stages',
    verb,
    ...(VERBS[verb].id === 'optional' ? ['[<id>]'] : VERBS[verb].id ? ['<id>'] : []),
    ...flags,
    ...(takesCommand(verb) ? ['--', '<command>', '[args…]'] : []),
  ].join(' ');
}

/** The verb, its stage id and its flags (camelCase keys), or an error naming what is wrong. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [verb, ...rest] = argv;
  if (verb === undefined) return { kind: 'help', exitCode: 1 };
  if (verb === 'help' || verb === '--help' || verb === '-h') return { kind: 'help', exitCode: 0 };
  if (!Object.hasOwn(VERBS, verb)) {
    const guess = nearest(verb, Object.keys(VERBS));
    return { kind: 'error', message: `nx-stages: unknown command "${verb}"${guess ? ` (did you mean "${guess}"?)` : ''}; \`nx-stages help\` lists them` };
  }
  const known = verb as Verb;
  const spec = VERBS[known];
  // Everything after the first `--` is the command, untouched: its flags are its own, not ours.
  const end = takesCommand(known) ? rest.indexOf('--') : -1;
  const ours = end === -1 ? rest : rest.slice(0, end);
  const command = end === -1 ? undefined : rest.slice(end + 1);
  const flags: Record<string, Flag> = { ...spec.flags, ...COMMON };
  const options: Record<string, { type: 'boolean' | 'string'; short?: string }> = {};
  for (const [name, flag] of Object.entries(flags)) {
    for (const spelling of allSpellings(name, flag)) options[spelling] = { type: flag.type === 'string' ? 'string' : 'boolean' };
  }
  options.help.short = 'h';
  const refuse = (why: string): CommandLine => ({ kind: 'error', message: `nx-stages ${known}: ${why}\nUsage: ${verbUsage(known)}` });
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...ours], options, strict: true, allowPositionals: spec.id !== false });
  } catch (error) {
    if (takesCommand(known) && (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return refuse(NO_COMMAND(known));
    return refuse(parseErrorText(error, Object.keys(options)));
  }
  if (parsed.values.help) return { kind: 'help', verb: known, exitCode: 0 };
  const values: Record<string, string | boolean> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const given = allSpellings(name, flag).filter((spelling) => parsed.values[spelling] !== undefined);
    if (given.length > 1) return refuse(`--${given[1]} and --${given[0]} are the same flag: give it once`);
    if (given.length === 1) values[name] = negativeSpellings(name, flag).includes(given[0]) ? false : (parsed.values[given[0]] as string | boolean);
  }
  if (takesCommand(known)) {
    if (!command?.length) return refuse(NO_COMMAND(known));
    return { kind: 'run', verb: known, flags: values, command };
  }
  if (!spec.id || (spec.id === 'optional' && parsed.positionals.length === 0)) return { kind: 'run', verb: known, flags: values };
  if (parsed.positionals.length !== 1)
    return refuse(parsed.positionals.length === 0 ? 'which stage? Give its id' : `takes one stage id, not ${parsed.positionals.map((item) => JSON.stringify(item)).join(', ')}`);
  return { kind: 'run', verb: known, id: parsed.positionals[0], flags: values };
}

/** node:util's message, with the flag named plainly and the nearest known spelling. */
function parseErrorText(error: unknown, spellings: string[]): string {
  // Not `instanceof Error`: node:util's errors may come from another realm (jest's vm).
  const message = typeof (error as { message?: unknown }).message === 'string' ? (error as { message: string }).message : String(error);
  const unknown = (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^'=\s]*)/.exec(message)?.[1] : undefined;
  if (!unknown) return message.split('. ')[0];
  const guess = nearest(unknown.replace(/^-+/, ''), spellings);
  return `unknown option ${unknown}${guess ? ` (did you mean --${guess}?)` : ''}`;
}

/** `dryRun`, `dry-run`, and for a toggle its negatives. */
function allSpellings(name: string, flag: Flag): string[] {
  return [...new Set([name, kebab(name), ...negativeSpellings(name, flag)])];
}

/** `noTag`, `no-tag` for the toggle `tag`; nothing for other flags. */
function negativeSpellings(name: string, flag: Flag): string[] {
  return flag.type === 'toggle' || flag.type === 'switch' ? [...new Set([`no${name[0].toUpperCase()}${name.slice(1)}`, `no-${kebab(name)}`])] : [];
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
