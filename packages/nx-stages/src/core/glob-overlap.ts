// Can two ownership patterns match a common file path? Exact for the syntax below, no prefix
// heuristics. (Line comments on purpose: the examples contain "*" followed by "/".)
//
// Semantics:
// - Paths are relative, `/`-separated and case-sensitive. A path has at least one segment, and
//   no segment is empty, `.` or `..` (so a pattern like `../x` owns nothing).
// - `{x,y}` alternatives are expanded first; they may nest and contain `/`. `{a}` (no comma) and
//   an unmatched `{` are literal. Each alternative is then a pattern of its own.
// - A glob-free pattern names a file or a folder, like a git pathspec: `src/app` owns `src/app`
//   and everything below it. A trailing `/` means "this folder and everything below", for globs
//   too: `src/*/` owns `src/a/b`. Glob-free is judged per brace alternative, so `src/{a,b}` owns
//   everything under `src/a` and `src/b`.
// - Otherwise globs are strict (minimatch): `src/*` matches `src/a`, not `src/a/b`.
// - `**` as a whole segment is zero or more segments (so `src/**` matches `src` itself). Inside a
//   segment `*` is any run of characters, `?` one character, `[abc]`, `[a-z]`, `[!a]`, `[^a]` are
//   classes (an unclosed `[` is literal), `\` escapes the next character, and `a**b` is `a*b`.
// - `*`, `?` and negated classes match a leading `.` too: ownership is about conflicts, so err
//   towards reporting one.
// - An empty pattern (``, `.`, `./`) is the workspace root: it owns everything.
//
// How: each pattern is an automaton over segments, each segment an automaton over characters.
// Two patterns overlap when the product automaton can reach its end. At segment level `**` is a
// self-loop; two ordinary segments are intersected by the same product search at character level,
// with `*` as a self-loop and character sets intersected. The searches visit each (i, j) position
// pair at most a few times, so `**/**/**/a` costs a handful of states, not an exponential number
// of splits; and being breadth-first they yield a short example path.

/** True when some file path is matched by both ownership patterns. */
export function patternsOverlap(a: string, b: string): boolean {
  return overlapExample(a, b) !== undefined;
}

/** A short example path both match, for error messages (e.g. "src/app/x"), or undefined when they don't overlap. */
export function overlapExample(a: string, b: string): string | undefined {
  const key = `${a}\0${b}`;
  let example = pairCache.get(key);
  if (example === undefined) {
    example = null;
    search: for (const first of compile(a)) {
      for (const second of compile(b)) {
        example = commonPath(first, second) ?? null;
        if (example !== null) break search;
      }
    }
    remember(pairCache, key, example);
  }
  return example ?? undefined;
}

/** Why `pattern` cannot be used (too many brace alternatives to compare), or undefined. */
export function unusablePatternReason(pattern: string): string | undefined {
  try {
    compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A glob written so that it cannot mean what it looks like, and what to write instead. */
export interface GlobProblem {
  reason: string;
  hint: string;
}

/**
 * Why `pattern` is a broken glob, or undefined. The engine reads an unmatched `{` or `[`, a
 * one-alternative `{a}` and `***` literally or as something else (see the semantics above), which
 * is never what was meant: refused with where it is (1-based character) and how to write it.
 * Checked like the engine reads: braces first (a `[` does not hide them), then each alternative's
 * segments for classes. Backslash-escaped characters are literal and fine.
 */
export function globSyntaxProblem(pattern: string): GlobProblem | undefined {
  const chars = Array.from(pattern);
  const at = (i: number) => `at character ${i + 1}`;
  const groups: Array<{ open: number; commas: number }> = [];
  for (let i = 0, stars = 0; i < chars.length; i++) {
    const c = chars[i];
    stars = c === '*' ? stars + 1 : 0;
    if (stars === 3) return { reason: `"***" ${at(i - 2)} is not a glob`, hint: 'use ** for any number of folders (src/**/x.ts) or * within a name' };
    if (c === '\\') i++;
    else if (c === '{') groups.push({ open: i, commas: 0 });
    else if (c === ',' && groups.length > 0) groups[groups.length - 1].commas++;
    else if (c === '}') {
      const group = groups.pop();
      if (!group) return { reason: `"}" ${at(i)} has no "{" before it`, hint: 'remove it, or write \\} for a literal brace' };
      if (i === group.open + 1) return { reason: `"{}" ${at(group.open)} has no alternatives`, hint: 'list them inside, e.g. {header,styles}, or remove the braces' };
      if (group.commas === 0) {
        const inner = chars.slice(group.open + 1, i).join('');
        return {
          reason: `"{${inner}}" ${at(group.open)} has a single alternative, so it would match the braces literally`,
          hint: `write ${inner} without braces, or add alternatives: {${inner},other}`,
        };
      }
    }
  }
  if (groups.length > 0) return { reason: `"{" ${at(groups[0].open)} is never closed`, hint: 'close the group, e.g. {header,styles}, or write \\{ for a literal brace' };
  let alternatives: string[];
  try {
    alternatives = expandBraces(normalizePattern(pattern));
  } catch {
    return undefined; // too many alternatives: unusablePatternReason says so
  }
  for (const alternative of alternatives) {
    for (const segment of alternative.split('/')) {
      const segmentChars = Array.from(segment);
      for (let i = 0; i < segmentChars.length; i++) {
        if (segmentChars[i] === '\\') i++;
        else if (segmentChars[i] === '[') {
          const cls = parseClass(segmentChars, i);
          if (!cls) return { reason: `"[" in "${segment}" is never closed`, hint: 'close the class, e.g. [a-z], or write \\[ for a literal bracket' };
          i = cls.end;
        }
      }
    }
  }
  return undefined;
}

/**
 * True when the file `path` itself is matched by `pattern` — unlike patternsOverlap, the path
 * is a file, not a folder that owns what is below it.
 */
export function pathMatches(path: string, pattern: string): boolean {
  const exact: Part[] = clean(path)
    .path.split('/')
    .filter(Boolean)
    .map((name) => parseSegment(name.replace(/[\\*?[\]{}]/g, '\\$&')));
  return exact.length > 0 && compile(pattern).some((alternative) => commonPath(exact, alternative) !== undefined);
}

/** Normalises an ownership entry: trims, drops leading "./", collapses "//", removes a trailing "/" (but remembers it means a folder). */
export function normalizePattern(p: string): string {
  const { path, folder } = clean(p.trim());
  // A glob-free path already owns what is below it; a glob needs an explicit `/**` for that.
  return folder && hasGlobSyntax(path) && !`/${path}`.endsWith('/**') ? `${path}/**` : path;
}

// ---------------------------------------------------------------------------------------------
// Compiled form

/** Code points allowed in a segment, minus the implicit `/`: listed ranges, or all but them. */
interface CharSet {
  negated: boolean;
  ranges: Array<[number, number]>;
}
type Token = 'star' | CharSet;
/** One path segment pattern; `src` (its text) keys the cache of segment intersections. */
interface Segment {
  src: string;
  tokens: Token[];
  glob: boolean;
}
const GLOBSTAR = '**';
type Part = Segment | typeof GLOBSTAR;

const SLASH = 0x2f;
const DOT = 0x2e;
const MAX_CODE_POINT = 0x10ffff;
const ANY: CharSet = { negated: true, ranges: [] };
const NOT_DOT: CharSet = { negated: true, ranges: [[DOT, DOT]] };
/** What a `**` contributes when it consumes one segment: any name. */
const ANY_NAME: Segment = { src: '*', tokens: ['star'], glob: true };
/** Brace expansion is exponential in the number of groups; refuse absurd patterns instead of hanging. */
const MAX_ALTERNATIVES = 4096;

const compiled = new Map<string, Part[][]>();
const pairCache = new Map<string, string | null>();
const nameCache = new Map<string, string | null>();

/** Caches are per process; clear one instead of letting a huge plan grow it without bound. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= 100_000) cache.clear();
  cache.set(key, value);
}

function compile(pattern: string): Part[][] {
  let alternatives = compiled.get(pattern);
  if (!alternatives) {
    alternatives = expandBraces(normalizePattern(pattern)).map((alternative) => {
      const { path, folder } = clean(alternative);
      const parts: Part[] = path === '' ? [] : path.split('/').map((s) => (s === GLOBSTAR ? GLOBSTAR : parseSegment(s)));
      const literal = parts.every((part) => part !== GLOBSTAR && !part.glob);
      if (folder || literal) parts.push(GLOBSTAR);
      return parts;
    });
    remember(compiled, pattern, alternatives);
  }
  return alternatives;
}

/** Drops empty and `.` segments (leading `./`, `//`, trailing `/`); a trailing `/` or `/.` means a folder. */
function clean(p: string): { path: string; folder: boolean } {
  const segments = p.split('/');
  const last = segments[segments.length - 1];
  return {
    path: segments.filter((s) => s !== '' && s !== '.').join('/'),
    folder: segments.length > 1 && (last === '' || last === '.'),
  };
}

function hasGlobSyntax(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if ('*?[{'.includes(p[i])) return true;
  }
  return false;
}

function expandBraces(p: string): string[] {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') {
      i++;
      continue;
    }
    const group = p[i] === '{' ? braceGroup(p, i) : undefined;
    if (!group) continue;
    const out = new Set<string>();
    for (const option of group.options) {
      // The prefix has no groups left; the option and the suffix may, so expand them together.
      for (const rest of expandBraces(option + p.slice(group.end + 1))) {
        out.add(p.slice(0, i) + rest);
        if (out.size > MAX_ALTERNATIVES) throw new Error(`pattern ${p} has more than ${MAX_ALTERNATIVES} brace alternatives`);
      }
    }
    return [...out];
  }
  return [p];
}

/** The top-level options of the `{` at `open`, or undefined when it is not a group (no match, no comma). */
function braceGroup(p: string, open: number): { options: string[]; end: number } | undefined {
  const cuts = [open];
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === ',' && depth === 1) cuts.push(i);
    else if (c === '}' && --depth === 0) {
      if (cuts.length === 1) return undefined;
      cuts.push(i);
      return { options: cuts.slice(1).map((cut, k) => p.slice(cuts[k] + 1, cut)), end: i };
    }
  }
  return undefined;
}

function parseSegment(src: string): Segment {
  const chars = Array.from(src); // code points, so `?` matches one emoji like the file system sees it
  const tokens: Token[] = [];
  let glob = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const cls = c === '[' ? parseClass(chars, i) : undefined;
    if (c === '*') {
      if (tokens[tokens.length - 1] !== 'star') tokens.push('star'); // `a**b` is `a*b`
    } else if (c === '?') tokens.push(ANY);
    else if (cls) {
      tokens.push(cls.set);
      i = cls.end;
    } else {
      if (c === '\\' && i + 1 < chars.length) i++;
      tokens.push(single(chars[i]));
      continue;
    }
    glob = true;
  }
  return { src, tokens, glob };
}

/** A `[...]` class starting at `open`, or undefined when it is never closed (then `[` is literal). */
function parseClass(chars: string[], open: number): { set: CharSet; end: number } | undefined {
  let i = open + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  const ranges: Array<[number, number]> = [];
  // A `]` right after the opening is a member, not the end.
  for (let first = true; i < chars.length && (chars[i] !== ']' || first); first = false) {
    const read = () => (chars[i] === '\\' && i + 1 < chars.length ? chars[++i] : chars[i]).codePointAt(0)!;
    const lo = read();
    i++;
    if (chars[i] === '-' && i + 1 < chars.length && chars[i + 1] !== ']') {
      i++;
      ranges.push([lo, read()]); // a reversed range like `z-a` is empty, as in minimatch
      i++;
    } else ranges.push([lo, lo]);
  }
  return i < chars.length ? { set: { negated, ranges }, end: i } : undefined;
}

function single(c: string): CharSet {
  const code = c.codePointAt(0)!;
  return { negated: false, ranges: [[code, code]] };
}

function contains(set: CharSet, code: number): boolean {
  if (code === SLASH) return false;
  return set.ranges.some(([lo, hi]) => code >= lo && code <= hi) !== set.negated;
}

/**
 * A character in every set, or undefined. Exact: the smallest common character c either is 0 or
 * c - 1 is outside one of the sets, so c starts a listed range or follows an excluded one (or `/`);
 * those are the only candidates to try. Friendlier ones (literals, `x`) go first for readable examples.
 */
function commonChar(sets: CharSet[]): string | undefined {
  const candidates: number[] = [];
  for (const set of sets) if (!set.negated) for (const [lo] of set.ranges) candidates.push(lo);
  candidates.push(0x78 /* x */, 0x61 /* a */, 0x30 /* 0 */, 0x5f /* _ */, SLASH + 1);
  for (const set of sets) if (set.negated) for (const [, hi] of set.ranges) candidates.push(hi + 1);
  candidates.push(0);
  const found = candidates.find((code) => code <= MAX_CODE_POINT && sets.every((set) => contains(set, code)));
  return found === undefined ? undefined : String.fromCodePoint(found);
}

// ---------------------------------------------------------------------------------------------
// Product search

/** A move of the product automaton; `label` is what it appends to the example, none for a free move. */
interface Move {
  to: number;
  label?: string;
}

/**
 * 0-1 breadth-first search over integer-coded states: the labels along a path to an accepting
 * state using the fewest labelled moves, or undefined when none is reachable.
 */
function shortestLabels(start: number, moves: (state: number) => Move[], accepts: (state: number) => boolean): string[] | undefined {
  const cost = new Map<number, number>([[start, 0]]);
  const back = new Map<number, { from: number; label?: string }>();
  const done = new Set<number>();
  const queue = [start];
  while (queue.length > 0) {
    const state = queue.shift()!;
    if (done.has(state)) continue;
    done.add(state);
    if (accepts(state)) {
      const labels: string[] = [];
      for (let s = state; s !== start; s = back.get(s)!.from) {
        const { label } = back.get(s)!;
        if (label !== undefined) labels.push(label);
      }
      return labels.reverse();
    }
    for (const move of moves(state)) {
      const next = cost.get(state)! + (move.label === undefined ? 0 : 1);
      if (next < (cost.get(move.to) ?? Infinity)) {
        cost.set(move.to, next);
        back.set(move.to, { from: state, label: move.label });
        if (move.label === undefined) queue.unshift(move.to);
        else queue.push(move.to);
      }
    }
  }
  return undefined;
}

/** A path matched by both segment lists. State: positions i in a, j in b, and whether a segment was consumed yet. */
function commonPath(a: Part[], b: Part[]): string | undefined {
  const width = b.length + 1;
  const code = (i: number, j: number, nonEmpty: number) => ((i * width + j) << 1) | nonEmpty;
  const labels = shortestLabels(
    code(0, 0, 0),
    (state) => {
      const nonEmpty = state & 1;
      const i = Math.floor((state >> 1) / width);
      const j = (state >> 1) % width;
      const moves: Move[] = [];
      if (a[i] === GLOBSTAR) moves.push({ to: code(i + 1, j, nonEmpty) }); // `**` matches no more segments
      if (b[j] === GLOBSTAR) moves.push({ to: code(i, j + 1, nonEmpty) });
      if (i < a.length && j < b.length) {
        // Consume one segment on both sides; a `**` stays where it is to take more.
        const name = commonName(a[i] === GLOBSTAR ? ANY_NAME : (a[i] as Segment), b[j] === GLOBSTAR ? ANY_NAME : (b[j] as Segment));
        const to = code(a[i] === GLOBSTAR ? i : i + 1, b[j] === GLOBSTAR ? j : j + 1, 1);
        if (name !== undefined) moves.push({ to, label: name });
      }
      return moves;
    },
    (state) => state === code(a.length, b.length, 1),
  );
  return labels?.join('/');
}

/** A file name matched by both segments; one not starting with a dot when possible, as it reads better. */
function commonName(a: Segment, b: Segment): string | undefined {
  const key = `${a.src}\0${b.src}`;
  let name = nameCache.get(key);
  if (name === undefined) {
    name = searchName(a, b, false) ?? searchName(a, b, true) ?? null;
    remember(nameCache, key, name);
  }
  return name ?? undefined;
}

/**
 * A name (not `.` or `..`) matched by both segments. State: positions i, j, and what the name is
 * so far (0 empty, 1 ".", 2 "..", 3 anything else, i.e. a valid name).
 */
function searchName(a: Segment, b: Segment, leadingDot: boolean): string | undefined {
  const width = b.tokens.length + 1;
  const code = (i: number, j: number, sofar: number) => ((i * width + j) << 2) | sofar;
  const labels = shortestLabels(
    code(0, 0, 0),
    (state) => {
      const sofar = state & 3;
      const i = Math.floor((state >> 2) / width);
      const j = (state >> 2) % width;
      const ta = a.tokens[i];
      const tb = b.tokens[j];
      const moves: Move[] = [];
      if (ta === 'star') moves.push({ to: code(i + 1, j, sofar) }); // `*` matches no more characters
      if (tb === 'star') moves.push({ to: code(i, j + 1, sofar) });
      if (ta !== undefined && tb !== undefined) {
        const sets = [ta === 'star' ? ANY : ta, tb === 'star' ? ANY : tb];
        const ni = ta === 'star' ? i : i + 1;
        const nj = tb === 'star' ? j : j + 1;
        // Only whether the next character is a dot matters to the name's validity.
        const other = commonChar([...sets, NOT_DOT]);
        const dot = sofar > 0 || leadingDot ? commonChar([...sets, single('.')]) : undefined;
        if (other !== undefined) moves.push({ to: code(ni, nj, 3), label: other });
        if (dot !== undefined) moves.push({ to: code(ni, nj, sofar < 2 ? sofar + 1 : 3), label: dot });
      }
      return moves;
    },
    (state) => state === code(a.tokens.length, b.tokens.length, 3),
  );
  return labels?.join('');
}
