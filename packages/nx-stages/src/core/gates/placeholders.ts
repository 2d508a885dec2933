export interface Marker {
  line: number;
  text: string;
}

/**
 * Scaffold markers: text a template or generator leaves for a person to replace, and merge
 * conflict markers. Deliberately not TODO or FIXME: those are normal in code under work.
 */
const SCAFFOLD = /\b(REPLACE[_ ]ME|FILL[_ ]ME[_ ]IN|lorem ipsum)\b|\{\{\s*[\w.-]+\s*\}\}|<placeholder>|\[fill in[^\]]*\]|^(<{7}|>{7}) /gim;

/** In a hand-written review, unfinished notes count too. */
const REVIEW_PLACEHOLDER = new RegExp(`${SCAFFOLD.source}|\\b(TODO|TBD|FIXME|XXX)\\b`, 'gim');

function find(text: string, pattern: RegExp): Marker[] {
  const found: Marker[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(pattern)) found.push({ line: index + 1, text: match[0].trim() });
  });
  return found;
}

/** Scaffold and conflict markers, with their line (1-based), in order. */
export function findScaffoldMarkers(text: string): Marker[] {
  return find(text, SCAFFOLD);
}

/** Placeholders left in a review: scaffold markers plus TODO, TBD, FIXME, XXX. */
export function findReviewPlaceholders(text: string): Marker[] {
  return find(text, REVIEW_PLACEHOLDER);
}

/** File names that only a scaffold or an unfinished merge leaves behind. */
const LEFTOVER_NAME = /(\.orig|\.rej|\.bak|~|\.template|\.tpl)$/i;

export function isLeftoverName(path: string): boolean {
  return LEFTOVER_NAME.test(path);
}
