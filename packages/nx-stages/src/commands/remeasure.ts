import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Proof } from '../core/gates/proof';
import type { Plan, Stage } from '../core/model';
import { failureText } from '../core/outcome';
import { ignoredEntries } from '../git/ignored';
import { gitText } from '../git/run';
import { linkDependencies } from '../io/link-dependencies';
import { runGatesCommand } from './gates';

/**
 * The "remeasured" trust level: the stage's gates run again on the commit the proof says it
 * measured, in a throwaway detached worktree (dependencies linked from the main checkout), with
 * the measured tasks run without Nx's cache, and their verdicts and numbers must be the proof's.
 * Returns the differences (empty: the proof holds). The worktree is removed whatever happens.
 */
export async function remeasureProof(mainRoot: string, plan: Plan, stage: Stage, proof: Proof, log: (line: string) => void = () => undefined): Promise<string[]> {
  const parent = await mkdtemp(join(tmpdir(), 'nx-stages-remeasure-'));
  const checkout = join(parent, 'checkout');
  const added = await gitText(mainRoot, ['worktree', 'add', '--detach', '--quiet', checkout, proof.commit]);
  if (!added.ok) {
    await rm(parent, { recursive: true, force: true });
    return [`could not check out the measured commit ${proof.commit.slice(0, 12)} to remeasure it: ${added.message}`];
  }
  try {
    const ignored = await ignoredEntries(mainRoot);
    if (plan.settings.dependencies !== 'none') await linkDependencies(mainRoot, checkout, ignored.ok ? ignored.value : ['node_modules/']);
    log(`Remeasuring stage ${stage.id} at ${proof.commit.slice(0, 12)} in a throwaway worktree…`);
    const run = await runGatesCommand(checkout, plan, stage, {
      inPlace: true,
      force: true,
      skipCache: true,
      storeId: `remeasure-${stage.id}`,
      base: proof.base.branch,
      log,
    });
    // A result is measured also when its gates fail: only one with no result at all stops here.
    if (!run.data || !('gates' in run.data)) return [`the gates could not be run again: ${run.failure ? failureText(run.failure) : run.text}`];
    return differences(proof, run.data);
  } finally {
    // Ours alone, made a moment ago: removed with whatever the run left in it.
    await gitText(mainRoot, ['worktree', 'remove', '--force', checkout]);
    await rm(parent, { recursive: true, force: true });
    await gitText(mainRoot, ['worktree', 'prune']);
  }
}

/** Where a new measurement disagrees with the proof: each gate's verdict, the tests, the coverage. */
export function differences(
  proof: Pick<Proof, 'gates' | 'tests' | 'coverage'>,
  again: { gates: { name: string; status: string }[]; tests: Proof['tests']; coverage: Proof['coverage'] },
): string[] {
  const found: string[] = [];
  for (const gate of proof.gates) {
    if (gate.name === 'proof') continue; // the review: nothing to measure
    const now = again.gates.find((entry) => entry.name === gate.name)?.status ?? 'missing';
    const normalized = now === 'not-run' ? 'fail' : now;
    if (normalized !== gate.status) found.push(`${gate.name}: the proof says ${gate.status}, measured again it is ${now}.`);
  }
  const text = (value: unknown) => JSON.stringify(value ?? null);
  if (text(proof.tests) !== text(again.tests)) found.push(`tests: the proof says ${text(proof.tests)}, measured again ${text(again.tests)}.`);
  if (text(proof.coverage) !== text(again.coverage)) found.push(`coverage: the proof says ${text(proof.coverage)}, measured again ${text(again.coverage)}.`);
  return found;
}
