/**
 * What a tool said when it failed, in its own words, short enough for one line of a report:
 * colours and hyperlinks stripped, progress, warnings, stack frames and log pointers dropped,
 * wrapped lines joined. Pure text in, text out.
 */

/** CSI (colours), OSC (hyperlinks, titles), two-character escapes, and the 8-bit CSI. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const OTHER_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Terminal escapes and control characters removed; `\r` (progress redraws) read as line ends. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(OTHER_CONTROLS, '');
}

/** Lines that are never the message: stack frames, log pointers, banners, code dumps. */
const NOISE = [
  /^at\s+\S/,
  /A complete log of this run can be found in/i,
  /^(?:bun audit|yarn audit|yarn npm audit) v?\d/i,
  /^npm (?:notice|verbose|verb|timing|http|info)\b/i,
  /^\S+\.[cm]?[jt]s:\d+(?::\d+)?$/,
];
const WARNING = /^(?:npm warn\b|\[warn(?:ing)?\]|warn(?:ing)?\b[:\s])/i;
const ERROR_WORDS = /\b(?:error|err!|fatal|failed|failure|refused|denied|unauthori[sz]ed|forbidden|not found|cannot|could not|unable|invalid|unknown|unsupported|timed? ?out)\b/i;
const ERROR_CODES = /\bYN\d{4}\b|\bE[A-Z]{2,}[A-Z0-9_]*\b|\b[45]\d\d\b/;
/** Decoration some tools put before a message: ➤ (Yarn), × ╰─▶ │ (pnpm's miette), ✖. */
const DECORATION = /^[\s\u2500-\u257f\u2190-\u21ff\u25b6\u25ba\u27a4\u00d7\u2716\u2718\u2715]+/u;
/** A line longer than this is a minified source dump printed with a crash, not a message. */
const LONGEST_LINE = 2000;

export interface ToolWordsOptions {
  /** At most this many lines (after wrapped ones are joined). Default 4. */
  lines?: number;
  /** At most this many characters; longer gets "…". Default 300. */
  chars?: number;
}

/**
 * The first meaningful lines of a failed tool's output: stderr first, then stdout; from the first
 * line that reads like an error when there is one; warnings only when nothing else was said.
 * Whole-line JSON is skipped (read it as JSON instead). Undefined when it printed nothing useful.
 */
export function toolWords(stdout: string, stderr: string, options: ToolWordsOptions = {}): string | undefined {
  const entries: Array<{ text: string; warning: boolean }> = [];
  for (const raw of `${stripAnsi(stderr)}\n${stripAnsi(stdout)}`.split('\n')) {
    if (raw.length > LONGEST_LINE || !/[\p{L}\p{N}]/u.test(raw)) continue;
    const text = raw.replace(DECORATION, '').replace(/\s+/g, ' ').trim();
    if (!text || NOISE.some((pattern) => pattern.test(text)) || isJsonLine(text)) continue;
    // A wrapped line: miette's `│` gutter, or deeper indentation than a message of its own.
    const previous = entries[entries.length - 1];
    if (previous && (/^\s*\u2502/.test(raw) || (/^\s{2,}/.test(raw) && !DECORATION.test(raw.trimStart())))) {
      previous.text += previous.text.endsWith('/') ? text : ` ${text}`;
      continue;
    }
    entries.push({ text, warning: WARNING.test(text) });
  }
  const said = entries.some((entry) => !entry.warning) ? entries.filter((entry) => !entry.warning) : entries;
  if (said.length === 0) return undefined;
  const first = Math.max(
    0,
    said.findIndex((entry) => ERROR_WORDS.test(entry.text) || ERROR_CODES.test(entry.text)),
  );
  const picked: string[] = [];
  let code: string | undefined;
  for (const { text } of said.slice(first, first + (options.lines ?? 4))) {
    // Yarn prefixes every line of one message with the same code: keep it once.
    const own = /^(YN\d{4}):\s*/.exec(text);
    picked.push(own && own[1] === code ? text.slice(own[0].length) : text);
    code = own?.[1] ?? code;
  }
  return cap(picked.join('; '), options.chars ?? 300);
}

/** `text` cut to `chars` characters with an ellipsis. */
export function cap(text: string, chars: number): string {
  const codePoints = Array.from(text);
  return codePoints.length <= chars
    ? text
    : `${codePoints
        .slice(0, chars - 1)
        .join('')
        .trimEnd()}…`;
}

function isJsonLine(text: string): boolean {
  if (!/^[[{"\]}]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    // A fragment of pretty-printed JSON (`"message": "…",`, `{`, `}`) is not a message either.
    return /^(?:[[{\]}],?|"[^"]*"\s*:.*)$/.test(text);
  }
}
