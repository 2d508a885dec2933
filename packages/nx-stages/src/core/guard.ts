import { isAbsolute, relative } from 'node:path/posix';
import { ownershipDrift } from './conflict-forecast';
import type { Plan, Stage } from './model';
import { isInside } from './worktree-layout';

// The guard of a coding agent's edits (Claude Code's PreToolUse hook): which file a tool call
// writes, and whether the stage whose worktree the agent works in may write it. Pure: the
// command reads the payload, git and the plan, and hands the facts in.

/** The tools that write files, and the field of their input that names the file. */
export const WRITE_TOOLS: Readonly<Record<string, 'file_path' | 'notebook_path'>> = {
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
};

/** The tool names of WRITE_TOOLS as a hook matcher (a regular expression over tool names). */
export const WRITE_TOOLS_MATCHER = Object.keys(WRITE_TOOLS).join('|');

/** What the guard needs of a PreToolUse payload. */
export interface HookCall {
  /** The agent's working folder: relative file paths are relative to it. */
  cwd: string;
  tool: string;
  /** The file a write tool writes, as the tool call names it; undefined for other tools. */
  file?: string;
}

export type ParsedPayload = { ok: true; call: HookCall } | { ok: false; message: string; hint: string };

const PAYLOAD_HINT = 'The guard is a Claude Code PreToolUse hook: it reads the JSON Claude Code sends on stdin (session_id, cwd, hook_event_name, tool_name, tool_input).';

/** Reads the JSON Claude Code writes on a PreToolUse hook's stdin; a refusal names what is wrong. */
export function parseHookPayload(text: string): ParsedPayload {
  const refuse = (message: string): ParsedPayload => ({ ok: false, message, hint: PAYLOAD_HINT });
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    return refuse(text.trim() === '' ? 'the hook payload on stdin is empty' : `the hook payload on stdin is not JSON (${said})`);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return refuse('the hook payload on stdin is not a JSON object');
  const fields = payload as Record<string, unknown>;
  const text_ = (name: string) => (typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined);
  const missing = ['hook_event_name', 'cwd', 'tool_name'].filter((name) => text_(name) === undefined);
  if (typeof fields.tool_input !== 'object' || fields.tool_input === null || Array.isArray(fields.tool_input)) missing.push('tool_input');
  if (missing.length > 0) return refuse(`the hook payload has no ${missing.join(', ')}`);
  if (fields.hook_event_name !== 'PreToolUse') return refuse(`the hook payload is a ${text_('hook_event_name')} event; the guard answers PreToolUse only`);
  const tool = text_('tool_name') as string;
  const field = Object.hasOwn(WRITE_TOOLS, tool) ? WRITE_TOOLS[tool] : undefined;
  if (field === undefined) return { ok: true, call: { cwd: text_('cwd') as string, tool } };
  const input = fields.tool_input as Record<string, unknown>;
  const file = typeof input[field] === 'string' && input[field] !== '' ? (input[field] as string) : undefined;
  if (file === undefined) return refuse(`the hook payload's ${tool} call has no tool_input.${field}`);
  return { ok: true, call: { cwd: text_('cwd') as string, tool, file } };
}

/** Why the guard decided as it did: what tests and scripts check instead of the words. */
export type GuardRule = 'not-a-write' | 'not-a-stage-worktree' | 'outside-worktree' | 'own-file' | 'other-stage' | 'outside-own-files';

/**
 * A decision in Claude Code's terms. `none` has no opinion: the hook prints nothing and Claude
 * Code's own permission rules decide, as if there were no hook.
 */
export interface GuardDecision {
  permission: 'allow' | 'deny' | 'ask' | 'none';
  rule: GuardRule;
  reason: string;
  /** The stages that own the file (other-stage). */
  owners?: string[];
}

/** No opinion: the call is none of the guard's business. */
export function noOpinion(rule: 'not-a-write' | 'not-a-stage-worktree', reason: string): GuardDecision {
  return { permission: 'none', rule, reason };
}

export interface WriteFacts {
  stage: Stage;
  plan: Pick<Plan, 'stages' | 'settings'>;
  /** The top folder of the stage's worktree, symlinks resolved. */
  worktree: string;
  /** The Nx workspace root inside that worktree (the worktree itself, or a folder in it). */
  workspace: string;
  /** The file as the tool call named it, for messages. */
  file: string;
  /** The file the call would write: absolute, `..` and symlinks resolved. */
  target: string;
  /** Stages whose work is already in the base: their files are free again. */
  merged: ReadonlySet<string>;
}

/**
 * The stages other than `stage` that own `path` (workspace-relative): its `files`, its plan
 * folder, its proof folder — ownership as the conflict forecast judges drift.
 */
export function otherOwners(path: string, stage: Pick<Stage, 'id'>, stages: readonly Stage[]): Stage[] {
  return stages.filter((other) => other.id !== stage.id && ownershipDrift(other, [path]).length === 0);
}

/**
 * Where the file lies for the stage: outside its worktree, one of its own files, or a path in
 * the workspace (then `owners` are the other stages owning it, merged or not).
 */
type Placement = { kind: 'outside-worktree' } | { kind: 'own'; path: string } | { kind: 'elsewhere'; shown: string; owners: Stage[] };

function place(facts: Omit<WriteFacts, 'merged'>): Placement {
  if (!isInside(facts.target, facts.worktree)) return { kind: 'outside-worktree' };
  const path = relative(facts.workspace, facts.target);
  // Ownership globs are relative to the workspace; a file of the worktree outside it (the Nx
  // workspace in a sub-folder of the repository) is nobody's.
  const inWorkspace = path !== '' && path !== '..' && !path.startsWith('../') && !isAbsolute(path);
  if (!inWorkspace) return { kind: 'elsewhere', shown: facts.file, owners: [] };
  if (ownershipDrift(facts.stage, [path]).length === 0) return { kind: 'own', path };
  return { kind: 'elsewhere', shown: path, owners: otherOwners(path, facts.stage, facts.plan.stages) };
}

/**
 * The stages whose merged state the decision depends on: the other owners of a file the stage
 * does not own. Most writes are the stage's own files, so most calls ask git nothing.
 */
export function ownersToCheck(facts: Omit<WriteFacts, 'merged'>): Stage[] {
  const placement = place(facts);
  return placement.kind === 'elsewhere' ? placement.owners : [];
}

/**
 * May the stage's agent write this file? Outside the worktree: deny. The stage's own files:
 * allow (a file two stages own in sequence is the writer's too). Another unmerged stage's
 * files: deny. Anything else: ask the user.
 */
export function decideWrite(facts: WriteFacts): GuardDecision {
  const { stage, file } = facts;
  const who = `stage ${stage.id} (${stage.name})`;
  const placement = place(facts);
  if (placement.kind === 'outside-worktree') {
    const where = facts.target === file ? '' : ` (it resolves to ${facts.target})`;
    return {
      permission: 'deny',
      rule: 'outside-worktree',
      reason: `${file} is outside the worktree of ${who}${where}. Write only inside ${facts.worktree}; a change elsewhere belongs to another checkout: ask the user to make it there.`,
    };
  }
  if (placement.kind === 'own') return { permission: 'allow', rule: 'own-file', reason: `${placement.path} is one of the files of ${who}.` };
  const owners = placement.owners.filter((other) => !facts.merged.has(other.id));
  if (owners.length > 0) {
    const named = owners.map((owner) => `stage ${owner.id} (${owner.name})`).join(' and ');
    return {
      permission: 'deny',
      rule: 'other-stage',
      owners: owners.map((owner) => owner.id),
      reason: `${placement.shown} belongs to ${named}, not merged yet: leave it to ${owners.length === 1 ? 'that stage' : 'those stages'}. If ${who} needs the change, ask the user: the owner makes it, or the file moves to the files of ${stage.file}.`,
    };
  }
  return {
    permission: 'ask',
    rule: 'outside-own-files',
    reason: `${placement.shown} is not among the files of ${who} (${stage.files.join(', ') || 'none declared'}). Allow it if the stage really needs it, and add it to files: in ${stage.file} so the plan says so.`,
  };
}

/**
 * What the hook prints on stdout for Claude Code: the decision in `hookSpecificOutput`, or
 * nothing at all when the guard has no opinion (an empty stdout with exit 0 leaves the call to
 * Claude Code's own permission rules).
 */
export function hookOutput(decision: GuardDecision): string {
  if (decision.permission === 'none') return '';
  return JSON.stringify({
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision.permission, permissionDecisionReason: decision.reason },
  });
}
