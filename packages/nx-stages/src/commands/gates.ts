import { cpus } from 'node:os';
import { basename, dirname } from 'node:path';
import { failedMandatory, outcomeLine, type GateOutcome, type GatesResult } from '../core/gates/gates-result';
import { renderGatesSummary } from '../core/gates/gates-summary';
import { planGates, type GateSpec } from '../core/gates/gate-plan';
import { measureEvidence } from '../core/gates/evidence';
import type { Vulnerabilities } from '../core/gates/judge';
import { canonicalJson } from '../core/gates/proof';
import type { Plan, Stage } from '../core/model';
import { contentHash, uncommittedOutside } from '../git/content';
import { mergeBase } from '../git/merge-tree';
import { LockTimeoutError, withLock } from '../git/lock';
import { gitText } from '../git/run';
import { gatesStore, readStoredResult, resetStore, writeStoredResult } from '../io/gates-store';
import { staleDependencies } from '../io/dependencies';
import { lockFilesDigest } from '../io/lock-files';
import { pluginVersion } from '../io/plugin-version';
import { createHash } from 'node:crypto';
import { checkoutNx } from './gates/checkout-nx';
import type { GateContext } from './gates/gate-context';
import { gateEnvironment, innerParallelism } from './gates/gate-environment';
import { isTaskGate, runGate } from './gates/gate-runners';
import { stopRunningProcesses } from './gates/run-process';
import { TaskRuns } from './gates/task-runs';
import { proofPaths } from '../core/conventions';
import { locateStageCheckout } from './stage-checkout';
import { stageSkip, type StageSkipped } from './stage-skip';
import { done, failed, type Failure, type Outcome } from '../core/outcome';

export interface GatesOptions {
  base?: string;
  /** Run in the current checkout whatever its branch (CI on a detached head). */
  inPlace?: boolean;
  /** Nx parallelism inside the stage; default: the cores split between concurrent gates runs. */
  parallel?: number;
  /** How many stages' gates run at once (run-many), to split the cores. */
  concurrentStages?: number;
  /** Stop at the first mandatory gate that fails (default true). */
  fastFail?: boolean;
  /** Measure again even when nothing changed since the last result. */
  force?: boolean;
  /** Run the measured (test) tasks without Nx's cache: a remeasurement must not replay. */
  skipCache?: boolean;
  /** Where the result is kept, when not the stage's own (a remeasurement must not replace it). */
  storeId?: string;
  /** Progress lines as gates start and finish. */
  log?: (line: string) => void;
}

/** What `gates` answers: the result it measured (or reused), or why the stage was skipped. */
export type GatesOutcome = Outcome<GatesResult | StageSkipped>;

/**
 * `gates`: the stage's profile in its checkout, fast-fail order, Nx's own task results for every
 * target gate, tests measured by the runner itself. Everything is kept in the gates store (the
 * git common dir), never in the working tree; the result is written last, so an interrupted run
 * leaves none. An unchanged stage (content, gate settings, lock files, plugin) reuses its result.
 */
export async function runGatesCommand(root: string, plan: Plan, stage: Stage, options: GatesOptions = {}): Promise<GatesOutcome> {
  const skip = await stageSkip(root, plan, stage.id, options);
  if (skip) return skip;
  const located = await locateStageCheckout(root, plan, stage.id, { base: options.base, inPlace: options.inPlace });
  if (!located.ok) return failed(located);
  const { checkout, base, commonDir } = located.value;
  try {
    return await withLock(commonDir, `gates-stage-${stage.id}`, () => measure(checkout, base, commonDir, plan, stage, options));
  } catch (error) {
    const kind = error instanceof LockTimeoutError ? 'busy' : 'unexpected';
    return failed({ kind, message: `Gates of stage ${stage.id} could not run: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}` });
  }
}

/**
 * With `--json` the document is the result alone on stdout; the summary people read goes beside
 * it on stderr, with the progress. The adapters (executor and bin) apply it in JSON mode.
 */
export function summaryBesideJson<T>(outcome: Outcome<T>): Outcome<T> {
  return outcome.text ? { ...outcome, notes: [...(outcome.notes ?? []), outcome.text] } : outcome;
}

/** The outcome of a measured (or reused) result: failed when a mandatory gate did not pass, the summary its text either way. */
function judged(result: GatesResult, summary: string): GatesOutcome {
  const blocking = failedMandatory(result.gates);
  if (!blocking.length) return done(summary, result);
  const ran = failedMandatory(result.gates.filter((gate) => gate.status !== 'not-run'));
  const message = ran.length ? `did not pass: ${ran.join(', ')}` : `did not run: ${blocking.join(', ')}`;
  return failed({ kind: 'failed', message: `mandatory gates of stage ${result.stage} ${message}` }, { text: summary, data: result });
}

async function measure(checkout: string, base: string, commonDir: string, plan: Plan, stage: Stage, options: GatesOptions): Promise<GatesOutcome> {
  const log = options.log ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const paths = proofPaths(stage.id);
  const [head, merge, hash, uncommitted] = await Promise.all([
    gitText(checkout, ['rev-parse', '--verify', 'HEAD']),
    mergeBase(checkout, 'HEAD', base),
    contentHash(checkout, 'HEAD', paths.folder),
    uncommittedOutside(checkout, paths.folder),
  ]);
  const cannot = (step: Pick<Failure, 'kind' | 'message' | 'hint'>) => failed({ ...step, message: `Gates of stage ${stage.id} could not start: ${step.message}` });
  if (!head.ok) return cannot(head);
  if (!merge.ok) return cannot(merge);
  const forkPoint = merge.value;
  if (forkPoint === undefined)
    return cannot({ kind: 'invalid-input', message: `${base} and the stage branch share no history`, hint: 'Base the stage branch on the base branch.' });
  if (!hash.ok) return cannot(hash);
  if (!uncommitted.ok) return cannot(uncommitted);

  const store = gatesStore(commonDir, options.storeId ?? stage.id);
  const specs = planGates(plan.settings, stage);
  const mainCheckout = basename(commonDir) === '.git' ? dirname(commonDir) : checkout;
  const reuseKey = createHash('sha256')
    .update(
      canonicalJson({
        content: hash.value,
        mergeBase: forkPoint,
        gates: specs,
        plugin: pluginVersion(),
        locks: await lockFilesDigest([...new Set([checkout, mainCheckout])]),
      }),
    )
    .digest('hex');
  const previous = await readStoredResult(store);
  if (!options.force && previous?.reuseKey === reuseKey && previous.clean && uncommitted.value.length === 0) {
    return judged(previous, `${renderGatesSummary(previous, undefined, true)}\n  --force measures again.`);
  }
  await resetStore(store);

  const parallel = options.parallel ?? innerParallelism(cpus().length, options.concurrentStages ?? 1);
  const env = gateEnvironment(checkout, parallel, { id: stage.id, name: stage.name, base: forkPoint });
  const nx = checkoutNx(checkout);
  const fastFail = options.fastFail !== false;
  const progress = (line: string) => log(`      › ${line}`);
  const context: GateContext = {
    checkout,
    mergeBase: forkPoint,
    env,
    parallel,
    fastFail,
    proofFolder: paths.folder,
    store,
    nx,
    skipCache: options.skipCache === true,
    runs: new TaskRuns({
      nxBin: 'bin' in nx ? nx.bin : '',
      checkout,
      env,
      mergeBase: forkPoint,
      parallel,
      fastFail,
      store,
      progress,
      taskTargets: [...new Set(specs.filter(isTaskGate).map(targetOf))],
      testTargets: [...new Set(specs.filter((spec) => spec.runner.kind === 'affected' && spec.collectsEvidence).map(targetOf))],
    }),
    evidence: [],
    kept: [],
    verdicts: new Map(),
    progress,
  };

  let interrupted: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    interrupted = signal;
    stopRunningProcesses(signal);
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  const gates: GateOutcome[] = [];
  let vulnerabilities: Vulnerabilities | null = null;
  let stopped = false;
  log(`Gates of stage ${stage.id} in ${checkout} (${specs.length} gates, base ${base} at ${forkPoint.slice(0, 7)}, nx parallel ${parallel})`);
  const stale = plan.settings.dependencies === 'link' && checkout !== mainCheckout ? await staleDependencies(mainCheckout, checkout) : [];
  if (stale.length) {
    log(
      `  ! this worktree's node_modules lacks ${stale.length} package(s) the main checkout has (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}): run \`nx run stage-${stage.id}:sync --refreshDependencies\``,
    );
  }
  try {
    for (const [index, spec] of specs.entries()) {
      if (stopped || interrupted) {
        gates.push({ name: spec.name, tier: spec.tier, status: 'not-run', durationMs: 0, detail: 'not run: an earlier mandatory gate failed', command: '', report: null });
        continue;
      }
      log(`  ▸ ${index + 1}. ${spec.name} [${spec.tier}]…`);
      const started = Date.now();
      const run = await runGate(spec, index + 1, context);
      if (interrupted) break;
      const verdict = run.verdict === 'not-run' ? { status: 'not-run' as const, detail: 'not run: Nx stopped at an earlier failing task (fast-fail)' } : run.verdict;
      if (run.verdict !== 'not-run') context.verdicts.set(spec.name, run.verdict);
      if (run.vulnerabilities !== undefined) vulnerabilities = run.vulnerabilities;
      const outcome: GateOutcome = {
        name: spec.name,
        tier: spec.tier,
        status: spec.runner.kind === 'proof' ? 'pending' : verdict.status,
        durationMs: run.tasks?.length ? taskSpan(run.tasks) : Date.now() - started,
        detail: verdict.detail,
        command: run.command,
        report: run.report,
        ...(spec.threshold === undefined ? {} : { threshold: spec.threshold }),
        ...(run.tasks ? { tasks: run.tasks } : {}),
      };
      gates.push(outcome);
      log(outcomeLine(index, outcome));
      if (spec.tier === 'mandatory' && failedMandatory([outcome]).length && fastFail) stopped = true;
    }
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
  if (interrupted) return failed({ kind: 'interrupted', message: `Gates of stage ${stage.id} were interrupted (${interrupted}): no result was written`, interrupted });

  const measured = measureEvidence(context.evidence);
  const result: GatesResult = {
    version: 2,
    stage: stage.id,
    commit: head.value.trim(),
    contentHash: hash.value,
    clean: uncommitted.value.length === 0,
    uncommitted: uncommitted.value,
    base: { branch: base, mergeBase: forkPoint },
    startedAt,
    finishedAt: new Date().toISOString(),
    tests: measured.tests,
    coverage: measured.coverage,
    vulnerabilities,
    evidence: context.kept,
    gates,
    reuseKey,
    parallel,
  };
  await writeStoredResult(store, result);
  return judged(result, renderGatesSummary(result, store));
}

/** Wall time a gate's tasks took (they ran alongside other gates' tasks in one Nx run). */
function taskSpan(tasks: readonly { startTime: number | null; endTime: number | null }[]): number {
  const starts = tasks.map((task) => task.startTime).filter((time): time is number => time !== null);
  const ends = tasks.map((task) => task.endTime).filter((time): time is number => time !== null);
  return starts.length && ends.length ? Math.max(0, Math.max(...ends) - Math.min(...starts)) : 0;
}

const targetOf = (spec: GateSpec) => (spec.runner.kind === 'affected' ? spec.runner.target : spec.name);
