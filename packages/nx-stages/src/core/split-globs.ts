/**
 * Splits a comma-separated list of globs (`--files="a/**,b/**"`) without cutting a glob apart:
 * a comma inside `{…}` (at any depth) or inside a closed `[…]` class belongs to the glob, and
 * `\,` is a comma of its own (kept as written: the glob engine reads `\,` as a literal comma).
 * Entries are trimmed; empty ones dropped. An unclosed `{` keeps the rest of the text in its
 * entry, so the broken glob is refused whole rather than as confusing pieces.
 */
export function splitGlobs(text: string): string[] {
  const chars = Array.from(text);
  const entries: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\' && i + 1 < chars.length) {
      current += c + chars[++i];
      continue;
    }
    if (c === '[') {
      const end = classEnd(chars, i);
      if (end !== undefined) {
        current += chars.slice(i, end + 1).join('');
        i = end;
        continue;
      }
    }
    if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      entries.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter(Boolean);
}

/** The `]` closing the class that opens at `open`, within its path segment; as the glob engine reads classes. */
function classEnd(chars: readonly string[], open: number): number | undefined {
  let i = open + 1;
  if (chars[i] === '!' || chars[i] === '^') i++;
  // A `]` right after the opening is a member, not the end.
  for (let first = true; i < chars.length && chars[i] !== '/'; i++, first = false) {
    if (chars[i] === '\\') i++;
    else if (chars[i] === ']' && !first) return i;
  }
  return undefined;
}
