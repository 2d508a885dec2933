import type { Stage } from './model';

/**
 * The stages someone can start now: not started (no branch), not merged, and every dependency
 * merged into the base. A stage whose dependency has a branch but is unmerged waits
 * (`worktree --stack` can still build on it).
 */
export function readyStages<T extends Pick<Stage, 'id' | 'dependsOn'>>(stages: readonly T[], facts: { merged: ReadonlySet<string>; started: ReadonlySet<string> }): T[] {
  return stages.filter((stage) => !facts.merged.has(stage.id) && !facts.started.has(stage.id) && stage.dependsOn.every((dependency) => facts.merged.has(dependency)));
}

/** A stage not started whose dependencies are not all merged yet: what it waits for. */
export interface WaitingStage {
  id: string;
  /** Its dependencies not merged into the base yet, in the order the stage lists them. */
  needs: string[];
}

/** Which stages can start now and which wait, and on what (the same rule as readyStages). */
export function readiness(
  stages: ReadonlyArray<Pick<Stage, 'id' | 'dependsOn'>>,
  facts: { merged: ReadonlySet<string>; started: ReadonlySet<string> },
): { ready: string[]; waiting: WaitingStage[] } {
  const ready = readyStages(stages, facts).map((stage) => stage.id);
  const waiting = stages
    .filter((stage) => !facts.merged.has(stage.id) && !facts.started.has(stage.id))
    .map((stage) => ({ id: stage.id, needs: stage.dependsOn.filter((dependency) => !facts.merged.has(dependency)) }))
    .filter((stage) => stage.needs.length > 0);
  return { ready, waiting };
}

/** `ready to start: 3, 5 · waiting: 4 (needs 1)`: one line for status. */
export function readinessLine({ ready, waiting }: { ready: readonly string[]; waiting: readonly WaitingStage[] }): string {
  if (ready.length === 0 && waiting.length === 0) return 'ready to start: none (every stage is started or merged)';
  const start = `ready to start: ${ready.join(', ') || 'none'}`;
  return waiting.length === 0 ? start : `${start} · waiting: ${waiting.map((stage) => `${stage.id} (needs ${stage.needs.join(', ')})`).join(', ')}`;
}
