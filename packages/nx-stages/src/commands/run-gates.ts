import { cpus } from 'node:os';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { failedMandatory, outcomeLine, type GateOutcome, type GatesResult } from '../core/gates/gates-result';
import { planGates } from '../core/gates/gate-plan';
import { measureEvidence, type EvidenceText } from '../core/gates/evidence';
import type { Verdict, Vulnerabilities } from '../core/gates/judge';
import type { Plan, Stage } from '../core/model';
import { contentHash, uncommittedOutside } from '../git/content';
import { mergeBase } from '../git/merge-tree';
import { withLock } from '../git/lock';
import { gitText } from '../git/run';
import { readAffectedTargets, type AffectedTargets } from './gates/affected-targets';
import { checkoutNx } from './gates/checkout-nx';
import { gateEnvironment, innerParallelism } from './gates/gate-environment';
import { runGate } from './gates/gate-runners';
import { stopRunningProcesses } from './gates/run-process';
import { locateStageCheckout } from './stage-checkout';
import { proofPaths } from './proof-paths';
import type { CommandResult } from './validate';

export interface GatesOptions {
  base?: string;
  /** Run in the current checkout whatever its branch (CI on a detached head). */
  inPlace?: boolean;
  /** Nx parallelism inside the stage; default: the cores split between concurrent gates runs. */
  parallel?: number;
  /** How many stages' gates may run at once (run-many), to split the cores. */
  concurrentStages?: number;
  /** Stop at the first mandatory gate that fails (default true). */
  fastFail?: boolean;
  json?: boolean;
  /** Progress lines as gates start and finish. */
  log?: (line: string) => void;
}

/**
 * `gates`: the stage's profile in its checkout, fast-fail order, each gate's full output in its
 * report, and a result bound to the commit and content measured. The result file is written
 * last and only when the run finished: an interrupted run leaves no result behind.
 */
export async function runGatesCommand(root: string, plan: Plan, stage: Stage, options: GatesOptions = {}): Promise<CommandResult & { result?: GatesResult }> {
  const failure = (output: string) => ({ success: false, output });
  const located = await locateStageCheckout(root, plan, stage.id, { base: options.base, inPlace: options.inPlace });
  if (!located.ok) return failure(`${located.message}${located.hint ? ` ${located.hint}` : ''}`);
  const { checkout, base, commonDir } = located.value;
  const paths = proofPaths(stage.id);
  try {
    return await withLock(commonDir, `gates-stage-${stage.id}`, () => measure(checkout, base, plan, stage, paths, options));
  } catch (error) {
    return failure(`Gates of stage ${stage.id} could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function measure(checkout: string, base: string, plan: Plan, stage: Stage, paths: ReturnType<typeof proofPaths>, options: GatesOptions) {
  const log = options.log ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const [head, merge, hash, uncommitted] = await Promise.all([
    gitText(checkout, ['rev-parse', '--verify', 'HEAD']),
    mergeBase(checkout, 'HEAD', base),
    contentHash(checkout, 'HEAD', paths.folder),
    uncommittedOutside(checkout, paths.folder),
  ]);
  const cannot = (step: { message: string; hint?: string }) => ({ success: false, output: `Gates of stage ${stage.id} could not start: ${step.message}${step.hint ? ` ${step.hint}` : ''}` });
  if (!head.ok) return cannot(head);
  if (!merge.ok) return cannot(merge);
  const forkPoint = merge.value;
  if (forkPoint === undefined) return cannot({ message: `${base} and the stage branch share no history.`, hint: 'Base the stage branch on the base branch.' });
  if (!hash.ok) return cannot(hash);
  if (!uncommitted.ok) return cannot(uncommitted);

  // Results of an earlier run are removed first: a run that stops midway leaves none behind.
  await rm(join(checkout, paths.result), { force: true });
  await rm(join(checkout, paths.gateReports), { recursive: true, force: true });
  await rm(join(checkout, paths.evidence), { recursive: true, force: true });
  await mkdir(join(checkout, paths.gateReports), { recursive: true });

  const parallel = options.parallel ?? innerParallelism(cpus().length, options.concurrentStages ?? 1);
  const env = gateEnvironment(checkout, parallel, { id: stage.id, name: stage.name, base: forkPoint });
  const nx = checkoutNx(checkout);
  let affected: Promise<AffectedTargets | { error: string }> | undefined;
  const evidence: EvidenceText[] = [];
  const verdicts = new Map<string, Verdict>();
  const context = {
    checkout, mergeBase: forkPoint, env, parallel, nx, evidence, verdicts,
    proofFolder: paths.folder, reportsFolder: paths.gateReports, evidenceFolder: paths.evidence,
    affected: () => (affected ??= 'bin' in nx ? readAffectedTargets(nx.bin, checkout, env, forkPoint, join(checkout, paths.gateReports)) : Promise.resolve({ error: nx.missing })),
  };

  let interrupted: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    interrupted = signal;
    stopRunningProcesses(signal);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const specs = planGates(plan.settings, stage);
  const gates: GateOutcome[] = [];
  const keptEvidence: GatesResult['evidence'] = [];
  let vulnerabilities: Vulnerabilities | null = null;
  let stopped = false;
  log(`Gates of stage ${stage.id} in ${checkout} (${specs.length} gates, base ${base} at ${forkPoint.slice(0, 7)}, nx parallel ${parallel})`);
  try {
    for (const [index, spec] of specs.entries()) {
      if (stopped || interrupted) {
        gates.push({ name: spec.name, tier: spec.tier, status: 'not-run', durationMs: 0, detail: 'not run: an earlier mandatory gate failed', command: '', report: null });
        continue;
      }
      const started = Date.now();
      const run = await runGate(spec, index + 1, context);
      if (interrupted) break;
      verdicts.set(spec.name, run.verdict);
      evidence.push(...run.texts);
      keptEvidence.push(...run.evidence);
      if (run.vulnerabilities !== undefined) vulnerabilities = run.vulnerabilities;
      const outcome: GateOutcome = {
        name: spec.name, tier: spec.tier,
        status: spec.runner.kind === 'proof' ? 'pending' : run.verdict.status,
        durationMs: Date.now() - started, detail: run.verdict.detail, command: run.command, report: run.report,
        ...(spec.threshold === undefined ? {} : { threshold: spec.threshold }),
      };
      gates.push(outcome);
      log(outcomeLine(index, outcome));
      if (spec.tier === 'mandatory' && failedMandatory([outcome]).length && options.fastFail !== false) stopped = true;
    }
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
  if (interrupted) return { success: false, output: `Gates of stage ${stage.id} were interrupted (${interrupted}): no result was written.` };

  const measured = measureEvidence(evidence);
  const result: GatesResult = {
    version: 1, stage: stage.id, commit: head.value.trim(), contentHash: hash.value,
    clean: uncommitted.value.length === 0, uncommitted: uncommitted.value,
    base: { branch: base, mergeBase: forkPoint }, startedAt, finishedAt: new Date().toISOString(),
    tests: measured.tests, coverage: measured.coverage, vulnerabilities, evidence: keptEvidence, gates,
  };
  // Written whole, then renamed: a reader never sees half a result.
  const resultFile = join(checkout, paths.result);
  await writeFile(`${resultFile}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  await rename(`${resultFile}.tmp`, resultFile);
  return { success: failedMandatory(gates).length === 0, output: renderGatesSummary(result, paths.result), result };
}

function renderGatesSummary(result: GatesResult, resultPath: string): string {
  const failed = failedMandatory(result.gates);
  const counted = (status: string) => result.gates.filter((gate) => gate.status === status).length;
  const lines = [
    `${failed.length ? '✖' : '✔'} Stage ${result.stage}: ${counted('pass')} passed, ${counted('fail')} failed, ${counted('could-not-run')} could not run, ${counted('n/a')} n/a, ${counted('not-run')} not run` +
      (failed.length ? ` (mandatory failed: ${failed.join(', ')})` : ''),
  ];
  if (!result.clean) lines.push(`  ! ${result.uncommitted.length} uncommitted file(s): these numbers belong to no commit, so no proof can use them. Commit, then run gates again.`);
  lines.push(`  result: ${resultPath} (commit ${result.commit.slice(0, 7)})`);
  return lines.join('\n');
}
