import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { failureText, type Failure, type Outcome } from '../core/outcome';

/** Where a failed call's failure sits, for a client that reads it as data: `_meta["nx-stages/failure"]`. */
export const FAILURE_META = 'nx-stages/failure';

/**
 * An outcome as an MCP tool result: the data as `structuredContent` (what the tool's
 * outputSchema describes), the document for people as text (the data as JSON when there is no
 * document). A failure is `isError: true` with its kind, message and hint in the text and, as
 * data, in `_meta`; structuredContent only when the failure has data (a forecast that found
 * conflicts) — clients check structuredContent against the outputSchema even on an error, and a
 * bare failure does not match it.
 */
export function toolResult(outcome: Outcome): CallToolResult {
  const structured = isRecord(outcome.data) ? { structuredContent: outcome.data } : {};
  const notes = outcome.notes ?? [];
  if (outcome.ok) {
    const text = outcome.text || JSON.stringify(outcome.data ?? {}, null, 2);
    return { content: [{ type: 'text', text: lines([text, ...notes]) }], structuredContent: isRecord(outcome.data) ? outcome.data : {} };
  }
  const failure: Failure = outcome.failure ?? { kind: 'unexpected', message: 'the command failed without saying why' };
  const said = `${failure.kind}: ${failureText(failure)}`;
  return {
    isError: true,
    content: [{ type: 'text', text: lines([outcome.text, ...notes, said]) }],
    ...structured,
    _meta: { [FAILURE_META]: { ...failure } },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lines(parts: string[]): string {
  return parts.filter((part) => part !== '').join('\n');
}
