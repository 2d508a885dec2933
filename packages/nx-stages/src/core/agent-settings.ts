import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { WRITE_TOOLS_MATCHER } from './guard';

/** The hook entry nx-stages keeps in a worktree's Claude Code settings. */
export function guardHookEntry(command: string): { matcher: string; hooks: Array<{ type: 'command'; command: string; timeout: number }> } {
  // Seconds; a call takes a fraction of one, but a cold disk or a busy machine must not cut it off.
  return { matcher: WRITE_TOOLS_MATCHER, hooks: [{ type: 'command', command, timeout: 30 }] };
}

/** A hook command that runs `nx-stages guard` (by npx or by the bin's path): ours to replace. */
export function isGuardCommand(command: unknown): boolean {
  return typeof command === 'string' && /nx-stages/.test(command) && /(^|\s)guard(\s|$)/.test(command);
}

export type SettingsChange = { ok: true; text: string; change: 'added' | 'updated' | 'unchanged' } | { ok: false; message: string; hint: string };

/**
 * Claude Code settings (`.claude/settings.local.json`) with the guard hook in `hooks.PreToolUse`,
 * edited in place: every other setting, hook and comment stays as the user wrote it. An entry
 * whose only hook is a guard command is ours and is replaced; anything else is never touched.
 */
export function withGuardHook(text: string | undefined, command: string, file: string): SettingsChange {
  const entry = guardHookEntry(command);
  const formattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };
  if (text === undefined || text.trim() === '') return { ok: true, text: `${JSON.stringify({ hooks: { PreToolUse: [entry] } }, null, 2)}\n`, change: 'added' };
  const refuse = (why: string): SettingsChange => ({
    ok: false,
    message: `${file} ${why}`,
    hint: 'Fix the file (or remove it), then run the generator again; nothing was changed.',
  });
  const errors: ParseError[] = [];
  const settings = parse(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) return refuse(`is not valid JSON (${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset})`);
  if (!isRecord(settings)) return refuse('is not a JSON object');
  if (settings.hooks !== undefined && !isRecord(settings.hooks)) return refuse('has "hooks" that is not an object');
  const entries = isRecord(settings.hooks) ? settings.hooks.PreToolUse : undefined;
  if (entries !== undefined && !Array.isArray(entries)) return refuse('has "hooks.PreToolUse" that is not a list');
  const list = (entries ?? []) as unknown[];
  const ours = list.findIndex(
    (candidate) => isRecord(candidate) && Array.isArray(candidate.hooks) && candidate.hooks.length === 1 && isGuardCommand((candidate.hooks[0] as { command?: unknown })?.command),
  );
  if (ours !== -1 && JSON.stringify(list[ours]) === JSON.stringify(entry)) return { ok: true, text, change: 'unchanged' };
  const edits =
    ours !== -1
      ? modify(text, ['hooks', 'PreToolUse', ours], entry, { formattingOptions })
      : entries === undefined
        ? modify(text, ['hooks', 'PreToolUse'], [entry], { formattingOptions })
        : modify(text, ['hooks', 'PreToolUse', -1], entry, { isArrayInsertion: true, formattingOptions });
  const edited = applyEdits(text, edits);
  return { ok: true, text: edited.endsWith('\n') ? edited : `${edited}\n`, change: ours === -1 ? 'added' : 'updated' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
