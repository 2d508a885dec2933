import type { Stage } from './model';

/**
 * The stages someone can start now: not started (no branch), not merged, and every dependency
 * merged into the base. A stage whose dependency has a branch but is unmerged waits
 * (`worktree --stack` can still build on it).
 */
export function readyStages<T extends Pick<Stage, 'id' | 'dependsOn'>>(stages: readonly T[], facts: { merged: ReadonlySet<string>; started: ReadonlySet<string> }): T[] {
  return stages.filter((stage) => !facts.merged.has(stage.id) && !facts.started.has(stage.id) && stage.dependsOn.every((dependency) => facts.merged.has(dependency)));
}
