import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { renderOutcome, type Outcome } from '../core/outcome';

/** Where a reporter writes: the process's streams in an adapter, arrays in a test. */
export interface OutputSink {
  log: (text: string) => void;
  error: (text: string) => void;
}

export interface ReportOptions {
  json?: boolean;
  /** Write the JSON document to this file (relative to `root`) instead of stdout. */
  outputFile?: string;
  root?: string;
}

/** `--outputFile` asks for JSON: the verb is run as with `--json`. */
export function wantsJson(options: { json?: boolean; outputFile?: string }): boolean {
  return options.json === true || Boolean(options.outputFile);
}

/**
 * The one reporter: renders the outcome (core/outcome) and writes it, returning the exit code.
 * With `--outputFile` the JSON document goes to that file alone and one line on stderr says
 * where: through `nx run`, stdout also carries Nx's banner, so a script reads the file.
 */
export function report(outcome: Outcome, options: ReportOptions, sink: OutputSink): number {
  const json = wantsJson(options);
  const rendered = renderOutcome(outcome, { json });
  if (rendered.stderr) sink.error(rendered.stderr);
  if (json && options.outputFile) {
    const file = resolve(options.root ?? '.', options.outputFile);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${rendered.stdout}\n`);
    sink.error(`JSON written to ${relative(options.root ?? '.', file) || file}`);
  } else if (rendered.stdout) sink.log(rendered.stdout);
  return rendered.exitCode;
}
