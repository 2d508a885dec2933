import type { Plan } from '../core/model';
import { refuse, type Outcome } from '../core/outcome';
import { nearest } from '../core/suggest';

/** The refusal of an id the plan does not have, with the nearest id it does have. */
export function unknownStage(plan: Plan, id: string): Outcome<never> {
  const guess = nearest(
    id,
    plan.stages.map((stage) => stage.id),
  );
  return refuse('not-found', `no stage ${JSON.stringify(id)} in ${plan.settings.file}${guess ? ` (did you mean ${guess}?)` : ''}`, '`npx nx-stages list` lists them.');
}
