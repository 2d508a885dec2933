import type { ExecutorContext } from '@nx/devkit';
import type { Outcome } from '../../core/outcome';
import { report } from '../../io/reporter';

export { wantsJson } from '../../io/reporter';

/** The options of every target that can answer in JSON. */
export interface JsonOptions {
  json?: boolean;
  /** Write the JSON document to this file (relative to the workspace root) instead of stdout. */
  outputFile?: string;
}

/**
 * The end of every target: the verb's outcome through the one reporter (io/reporter), and Nx's
 * `{ success }`. Progress went to the stream the executor chose while the verb ran.
 */
export function reported(outcome: Outcome, context: ExecutorContext, options: JsonOptions = {}): { success: boolean } {
  return { success: report(outcome, { ...options, root: context.root }, { log: console.log, error: console.error }) === 0 };
}
