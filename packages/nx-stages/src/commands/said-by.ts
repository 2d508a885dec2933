import type { Failure } from '../core/outcome';

/** A failure said as part of a verb's own sentence ("Merge of stage 1 refused: …"), its kind, hint and files kept. */
export function saidBy(prefix: string, failure: Failure): Failure {
  return { ...failure, message: `${prefix}${failure.message}` };
}
