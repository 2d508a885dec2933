import type { ExecutorContext } from '@nx/devkit';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Outcome } from '../../core/outcome';
import { report } from '../../io/reporter';

/** The options of every target that can answer in JSON. */
export interface JsonOptions {
  json?: boolean;
  /** Write the JSON document to this file (relative to the workspace root) instead of stdout. */
  outputFile?: string;
}

/** `--outputFile` asks for JSON: the command is run as with `--json`. */
export function wantsJson(options: JsonOptions): boolean {
  return options.json === true || Boolean(options.outputFile);
}

/**
 * Prints a target's report: on stdout when it is the answer (`toStdout`), else on stderr. With
 * `--outputFile` the JSON document goes to that file alone, and one line says where: through
 * `nx run`, stdout also carries Nx's banner, so a script reads the file.
 */
export function printReport(output: string, context: ExecutorContext, options: JsonOptions, toStdout: boolean): void {
  if (!options.outputFile) return (toStdout ? console.log : console.error)(output);
  const file = resolve(context.root, options.outputFile);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, output.endsWith('\n') ? output : `${output}\n`);
  console.error(`JSON written to ${relative(context.root, file) || file}`);
}

/** The end of most targets: the verb's output on stdout (stderr when it failed and is no report), and Nx's `{ success }`. */
export function printed(result: { success: boolean; output: string; report?: boolean }): { success: boolean } {
  (result.success || result.report ? console.log : console.error)(result.output);
  return { success: result.success };
}

/**
 * The end of every target: the verb's outcome through the one reporter (io/reporter), and Nx's
 * `{ success }`. Progress went to the stream the executor chose while the verb ran.
 */
export function reported(outcome: Outcome, context: ExecutorContext, options: JsonOptions = {}): { success: boolean } {
  return { success: report(outcome, { ...options, root: context.root }, { log: console.log, error: console.error }) === 0 };
}
