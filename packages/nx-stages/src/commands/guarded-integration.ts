import { undoIntegration, type IntegrationRecord } from '../git/half-done';
import { integrate, type Integrated, type IntegrateStrategy } from '../git/integrate';
import { interruptedBy, interruptible, InterruptedError } from '../git/interrupts';
import { describeJournal, readJournal, removeJournal, startJournal, type Journal } from '../git/journal';
import { withLock } from '../git/lock';
import type { GitResult } from '../git/result';

export type JournaledIntegrate = (dir: string, fromRef: string, strategy: IntegrateStrategy, message?: string, noFastForward?: boolean) => Promise<GitResult<Integrated>>;

export interface Guarded<T> {
  outcome?: T;
  /** What an earlier, killed call had left and what was done about it. */
  repaired?: string;
  /** A SIGINT/SIGTERM came before git changed anything: the outcome, if any, is not to be reported. */
  interruptedBefore?: string;
}

/**
 * The locked part of `sync` and `merge`, as one interruptible operation. Under the lock it first
 * repairs what a killed call of the same lock left (its journal), then runs `work`, whose
 * integrate is journaled from just before git changes the checkout until it ends.
 * An interrupt during integrate is undone by integrate itself (it says so in its failure).
 */
export async function guardedIntegration<T>(commonDir: string, lockName: string, label: string, work: (integrate: JournaledIntegrate) => Promise<T>): Promise<Guarded<T>> {
  return interruptible(async () => {
    let started = false;
    try {
      return await withLock(commonDir, lockName, async () => {
        const repaired = await repairIntegration(commonDir, lockName, label);
        const journaled: JournaledIntegrate = async (dir, fromRef, strategy, message, noFastForward) => {
          let journal: Journal<IntegrationRecord> | undefined;
          try {
            return await integrate(dir, fromRef, strategy, message, noFastForward, async (record) => {
              journal = await startJournal(commonDir, lockName, label, record);
              started = true; // from here on integrate itself reports an interrupt, with what it undid
            });
          } finally {
            await journal?.remove();
          }
        };
        const outcome = await work(journaled);
        const signal = interruptedBy();
        return { outcome, ...(repaired ? { repaired } : {}), ...(signal && !started ? { interruptedBefore: signal } : {}) };
      });
    } catch (error) {
      if (error instanceof InterruptedError && !started) return { interruptedBefore: error.signal };
      throw error;
    }
  });
}

/**
 * A journal under `lockName` while we hold that lock was left by a call that never ended (killed):
 * its merge/rebase is undone if still half-done and exactly as it left it, kept if it completed.
 * Returns the sentence to show, or undefined when there was nothing.
 */
export async function repairIntegration(commonDir: string, lockName: string, label: string): Promise<string | undefined> {
  const entry = await readJournal<IntegrationRecord>(commonDir, lockName);
  if (entry === undefined) return undefined;
  await removeJournal(commonDir, lockName);
  if (entry === 'unreadable') return `Found an unreadable record of an interrupted ${label}; removed it and changed nothing.`;
  const { checkout, branch, before } = entry.data;
  const found = `Found a ${label} left half-done by an interrupted call (${describeJournal(entry)})`;
  const undone = await undoIntegration(entry.data, 'keep');
  if (!undone.ok) return `${found}, but ${undone.message}.`;
  if (undone.value === 'undone') return `${found} in ${checkout}: undid it; ${branch} is back at ${before.slice(0, 7)}.`;
  if (undone.value === 'completed') return `${found}: it had completed before it stopped; kept it.`;
  return `${found}: nothing of it was left in ${checkout}.`;
}

/** The checkout a killed call's journal names: a worktree mid-rebase shows no branch in `git worktree list`. */
export async function journaledCheckout(commonDir: string, lockName: string): Promise<string | undefined> {
  const entry = await readJournal<IntegrationRecord>(commonDir, lockName);
  return entry && entry !== 'unreadable' && typeof entry.data.checkout === 'string' ? entry.data.checkout : undefined;
}
