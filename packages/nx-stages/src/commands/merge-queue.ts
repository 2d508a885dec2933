import { planMergeQueue, renderMergeQueue, type MergeQueue } from '../core/merge-queue';
import type { Plan } from '../core/model';
import { done, failed, failureText, type Failure, type Outcome } from '../core/outcome';
import { renderTable } from '../core/table';
import { openRepository } from '../git/repository';
import { mergeStageCommand, type MergeData, type MergeOptions } from './merge';
import { resolveBase } from './resolve-base';
import { stageFacts } from './stage-facts';

export interface QueueOptions extends MergeOptions {
  /** Only these stages (the merge tasks of one `nx run-many -t merge`); every stage of the plan when absent. */
  only?: readonly string[];
  /** A stage's own turn: merge the stages queued ahead of it, then it, and stop. */
  upTo?: string;
}

export interface QueueEntry {
  id: string;
  result: MergeData['result'] | 'refused' | 'not-tried';
  head?: string;
  failure?: Failure;
}

export interface QueueData {
  base: string;
  queue: string[];
  waiting: MergeQueue['waiting'];
  results: QueueEntry[];
}

/**
 * The merge queue (`nx run stages:merge`): every started, unmerged stage, one at a time, in the
 * plan's merge order (core/merge-queue) — the order `conflicts` simulates — each through `merge`
 * itself, so its proof is checked right before its own merge; the first refusal stops the queue
 * (merge aborts and restores the base on a failure of its own). The queue is printed first.
 */
export async function mergeQueueCommand(root: string, plan: Plan, options: QueueOptions, progress: (line: string) => void): Promise<Outcome<QueueData>> {
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const base = await resolveBase(repository.value.root, plan.settings, options.base);
  if (!base.ok) return failed(base);
  const facts = await stageFacts(repository.value, plan, base.value);
  if (!facts.ok) return failed(facts);
  const planned = planMergeQueue(plan.stages, facts.value, options.only ? new Set(options.only) : undefined);
  const turn = options.upTo === undefined ? -1 : planned.queue.indexOf(options.upTo);
  const queue = turn === -1 ? planned.queue : planned.queue.slice(0, turn + 1);
  const data: QueueData = { base: base.value, queue, waiting: planned.waiting, results: [] };
  const mergeOptions = { base: base.value, cleanup: options.cleanup, deleteBranch: options.deleteBranch, push: options.push };
  // Alone in its turn, or not in the queue (not started, merged, waiting on a dependency): merge's own answer.
  if (options.upTo !== undefined && queue.length <= 1) return ownTurn(root, plan, options.upTo, mergeOptions, data);
  progress(renderMergeQueue(plan, { ...planned, queue }, base.value).join('\n'));

  for (const [index, id] of queue.entries()) {
    const stage = plan.stages.find((candidate) => candidate.id === id)!;
    const merged = await mergeStageCommand(root, plan, stage, mergeOptions);
    for (const note of merged.notes ?? []) progress(note);
    if (!merged.ok) {
      data.results.push({ id, result: 'refused', ...(merged.failure ? { failure: merged.failure } : {}) });
      data.results.push(...queue.slice(index + 1).map((later) => ({ id: later, result: 'not-tried' as const })));
      const stopped = merged.failure ?? { kind: 'refused' as const, message: `stage ${id} was not merged` };
      const ahead = options.upTo !== undefined && id !== options.upTo;
      const message = ahead ? `stage ${id}, ahead of ${options.upTo} in the merge queue, was not merged: ${stopped.message}` : stopped.message;
      // The report says why it stopped: a failing outcome's document speaks for it.
      const refusal = { ...stopped, message };
      return failed(refusal, { text: [merged.text, failureText(refusal), ...summary(data)].filter(Boolean).join('\n'), data });
    }
    progress(merged.text);
    data.results.push({ id, result: merged.data?.result ?? 'merged', ...(merged.data?.head ? { head: merged.data.head } : {}) });
  }
  return done(summary(data).join('\n'), data);
}

async function ownTurn(root: string, plan: Plan, id: string, options: MergeOptions, data: QueueData): Promise<Outcome<QueueData>> {
  const stage = plan.stages.find((candidate) => candidate.id === id)!;
  const own = await mergeStageCommand(root, plan, stage, options);
  const entry: QueueEntry = { id, result: own.ok ? (own.data?.result ?? 'merged') : 'refused', ...(own.failure ? { failure: own.failure } : {}) };
  const report = { text: own.text, data: { ...data, results: [entry] }, notes: own.notes };
  return own.ok ? done(report.text, report.data, report.notes) : failed(own.failure!, report);
}

const RESULT_TEXT: Record<QueueEntry['result'], string> = {
  merged: 'merged',
  'already-merged': 'already merged',
  'not-started': 'no branch yet',
  refused: 'refused',
  'not-tried': 'not tried (the queue stopped)',
};

function summary(data: QueueData): string[] {
  if (data.results.length === 0) return [`Merge queue into ${data.base}: no stage to merge.`];
  const rows = data.results.map((entry) => [entry.id, RESULT_TEXT[entry.result], entry.head?.slice(0, 7) ?? '']);
  const merged = data.results.filter((entry) => entry.result === 'merged').length;
  return ['', ...renderTable(['stage', 'result', 'commit'], rows), '', `${merged} of ${data.queue.length} merged into ${data.base}`];
}
