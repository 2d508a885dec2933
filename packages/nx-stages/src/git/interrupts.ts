import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Ctrl+C and `kill` during an operation that changes checkouts (worktree creation, sync, merge).
 * Without a listener Node dies on the spot and leaves a half-done merge and the lock behind; with
 * one, the operation sees the signal, undoes what it did and reports it (then exits non-zero).
 *
 * Listeners exist only while such an operation runs, so at any other time a signal behaves as
 * usual. The operation is found through AsyncLocalStorage: several may run in one process.
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type InterruptSignal = (typeof SIGNALS)[number];

interface Operation {
  signal?: InterruptSignal;
  /** git processes running right now: stopped when the signal comes, so the undo can start. */
  running: Set<AbortController>;
}

const current = new AsyncLocalStorage<Operation>();
const active = new Set<Operation>();

function onSignal(signal: InterruptSignal): void {
  for (const operation of active) {
    operation.signal ??= signal;
    for (const call of operation.running) call.abort();
  }
}

/** Runs `work` as one interruptible operation: a SIGINT/SIGTERM meanwhile is recorded, not fatal. */
export async function interruptible<T>(work: () => Promise<T>): Promise<T> {
  const operation: Operation = { running: new Set() };
  if (active.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  active.add(operation);
  try {
    return await current.run(operation, work);
  } finally {
    active.delete(operation);
    if (active.size === 0) for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}

/** The signal that interrupted the current operation, if one did. */
export function interruptedBy(): InterruptSignal | undefined {
  return current.getStore()?.signal;
}

/**
 * For one git call: an AbortSignal that fires if an interrupt arrives while it runs. Calls
 * started after the interrupt run normally: they are the undo.
 */
export function trackCall(): { signal?: AbortSignal; done: () => void } {
  const operation = current.getStore();
  if (!operation || operation.signal) return { done: () => undefined };
  const call = new AbortController();
  operation.running.add(call);
  return { signal: call.signal, done: () => operation.running.delete(call) };
}

export class InterruptedError extends Error {
  constructor(
    readonly signal: InterruptSignal,
    what: string,
  ) {
    super(`Interrupted (${signal}) ${what}`);
  }
}

/** A checkpoint before a step that changes something. */
export function throwIfInterrupted(what: string): void {
  const signal = interruptedBy();
  if (signal) throw new InterruptedError(signal, what);
}
