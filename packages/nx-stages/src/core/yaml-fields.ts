import type * as YamlLibrary from 'yaml';
import type { LineCounter, Node } from 'yaml';
import type { Problem } from './model';

let library: typeof YamlLibrary | undefined;
/**
 * `yaml` (70-odd modules, ~70 ms on a busy 2-core machine) is loaded on the first parse, not on
 * import: Nx loads the plugin on every command, and an unchanged plan comes from the cache unparsed.
 */
function yaml(): typeof YamlLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (library ??= require('yaml') as typeof YamlLibrary);
}

/** One top-level field of a YAML file, with where it was written. */
export interface Field {
  value: unknown;
  /** The YAML node, for reading scalars as written (`9.10` is not the number 9.1). */
  node: unknown;
  line: number;
  column: number;
  /** For a list, the line of each item, so a check of one entry can point at it. */
  itemLines?: number[];
  /** Line of a nested key (`['coverage', 'threshold']` under `gates:`), so a check of one option can point at it. */
  keyLine: (path: readonly string[]) => number | undefined;
}

export interface YamlFields {
  fields: Map<string, Field>;
  problems: Problem[];
}

/**
 * Reads a YAML file whose top level is a mapping, keeping the line of every field so that
 * later checks (a wrong type, an unknown dependency) can point at the exact line.
 */
export function readYamlFields(text: string, file: string): YamlFields {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const fields = new Map<string, Field>();
  const problems: Problem[] = doc.errors.map((error) => ({
    severity: 'error' as const,
    code: 'yaml',
    message: `invalid YAML: ${firstLine(error.message)}`,
    hint: 'fix the YAML syntax (indentation, quotes, a missing ":")',
    file,
    line: error.linePos?.[0].line,
    column: error.linePos?.[0].col,
  }));
  if (problems.length > 0 || doc.contents === null) return { fields, problems };
  if (!yaml().isMap(doc.contents)) {
    const position = lineCounter.linePos(doc.contents.range?.[0] ?? 0);
    problems.push({
      severity: 'error',
      code: 'type',
      message: 'expected a mapping of fields (key: value) at the top level',
      file,
      line: position.line,
      column: position.col,
    });
    return { fields, problems };
  }
  for (const pair of doc.contents.items) {
    const key = yaml().isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const position = lineCounter.linePos((pair.key as Node | null)?.range?.[0] ?? 0);
    const node = pair.value as Node | null;
    const keyLine = (path: readonly string[]) => nestedKeyLine(node, path, lineCounter);
    const field: Field = { value: node ? node.toJSON() : null, node, line: position.line, column: position.col, keyLine };
    if (yaml().isSeq(node)) field.itemLines = node.items.map((item) => lineCounter.linePos((item as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0).line);
    fields.set(key, field);
  }
  return { fields, problems };
}

function nestedKeyLine(node: unknown, path: readonly string[], lineCounter: LineCounter): number | undefined {
  let line: number | undefined;
  let current = node;
  for (const key of path) {
    if (!yaml().isMap(current)) return undefined;
    const pair = current.items.find((item) => (yaml().isScalar(item.key) ? String(item.key.value) : String(item.key)) === key);
    const start = (pair?.key as Node | null | undefined)?.range?.[0];
    if (!pair || start === undefined) return undefined;
    line = lineCounter.linePos(start).line;
    current = pair.value;
  }
  return line;
}

/** A scalar as the user wrote it: `9.10` stays "9.10"; undefined for anything but a scalar. */
export function scalarText(node: unknown): string | undefined {
  if (!yaml().isScalar(node) || node.value === null) return undefined;
  if (typeof node.value === 'number' && node.source !== undefined) return node.source;
  return typeof node.value === 'object' ? undefined : String(node.value);
}

/** A list of scalars as written, or undefined when the node is not a list of scalars. */
export function scalarListTexts(node: unknown): string[] | undefined {
  if (!yaml().isSeq(node)) return undefined;
  const texts = node.items.map(scalarText);
  return texts.every((text): text is string => text !== undefined) ? texts : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
