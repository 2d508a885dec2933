import { mergeOrder } from './conflict-forecast';
import type { Stage } from './model';

export interface QueueFacts {
  /** Stages whose work is in the base already. */
  merged: ReadonlySet<string>;
  /** Stages that have a branch (locally or on the remote). */
  started: ReadonlySet<string>;
}

export interface MergeQueue {
  /** The stages to merge, one at a time, in this order. */
  queue: string[];
  /** Started stages left out: a dependency is neither merged nor ahead of them in the queue. */
  waiting: Array<{ id: string; on: string[] }>;
}

/**
 * The merge queue: every started, unmerged stage (of `only`, when given) in the plan's merge
 * order (core/conflict-forecast `mergeOrder`: dependencies first, then group, priority, id),
 * leaving out those whose dependencies will not be in the base by their turn. Whether a proof is
 * valid is not known here: the queue re-checks each one right before its merge and stops at the
 * first refusal.
 */
export function planMergeQueue(stages: readonly Stage[], facts: QueueFacts, only?: ReadonlySet<string>): MergeQueue {
  const inBase = new Set(facts.merged);
  const queue: string[] = [];
  const waiting: MergeQueue['waiting'] = [];
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  for (const id of mergeOrder(stages)) {
    const stage = byId.get(id);
    if (!stage || facts.merged.has(id) || !facts.started.has(id) || (only && !only.has(id))) continue;
    const missing = stage.dependsOn.filter((dependency) => !inBase.has(dependency));
    if (missing.length) {
      waiting.push({ id, on: missing });
      continue;
    }
    queue.push(id);
    inBase.add(id);
  }
  return { queue, waiting };
}

/** The queue as it is printed before the first merge. */
export function renderMergeQueue(plan: { stages: readonly Pick<Stage, 'id' | 'name'>[] }, queue: MergeQueue, base: string): string[] {
  const name = (id: string) => plan.stages.find((stage) => stage.id === id)?.name ?? '';
  const lines =
    queue.queue.length === 0
      ? [`Merge queue into ${base}: no stage to merge.`]
      : [`Merge queue into ${base}, one at a time in the plan's merge order:`, ...queue.queue.map((id, index) => `  ${index + 1}. ${id}  ${name(id)}`.trimEnd())];
  for (const entry of queue.waiting) lines.push(`  waits: ${entry.id} (needs ${entry.on.join(', ')} merged first)`);
  return lines;
}
