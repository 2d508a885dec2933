// LEGACY ADAPTER — delete this file once status, conflicts, gates, verify, merge and worktree
// return Outcomes (issue 12): the MCP tools then pass the verb's outcome to toolResult directly.
import { done, failed, type Outcome } from '../core/outcome';

/** What the verbs not yet converted return. */
export interface LegacyResult {
  success: boolean;
  output: string;
}

/**
 * A legacy `{ success, output }` as an Outcome. The data is `data` when given, else the output
 * parsed as JSON (the verb was called with `json: true`); output that is not JSON is the text.
 * A legacy failure has no kind: it is `failed` (what was measured or checked said no), with the
 * verb's JSON `error`, else the given `failure`, else the output's first line as its message.
 */
export function legacyOutcome<T>(result: LegacyResult, options: { data?: T; failure?: string } = {}): Outcome<T> {
  const parsed = parseJson(result.output);
  const text = parsed === undefined ? result.output.trim() : '';
  if (result.success) return done(text, options.data ?? (parsed as T | undefined));
  // `{ success: false, error, hint }` is a failure, not the verb's data.
  const said = parsed && typeof parsed === 'object' ? (parsed as { error?: unknown }).error : undefined;
  const data = options.data ?? (typeof said === 'string' ? undefined : (parsed as T | undefined));
  const message = typeof said === 'string' ? said : (options.failure ?? (text.split('\n')[0] || 'the command failed'));
  const hint = parsed && typeof parsed === 'object' ? (parsed as { hint?: unknown }).hint : undefined;
  // An output that is the message alone is not repeated as the document.
  const shown = text === message ? '' : text;
  return failed({ kind: 'failed', message, ...(typeof hint === 'string' ? { hint } : {}) }, { text: shown, ...(data === undefined ? {} : { data }) });
}

function parseJson(output: string): unknown {
  if (!/^\s*[{[]/.test(output)) return undefined;
  try {
    return JSON.parse(output);
  } catch {
    return undefined;
  }
}
