import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { measureEvidence, type EvidenceText, type MeasuredEvidence } from '../../core/gates/evidence';
import type { GateSpec } from '../../core/gates/gate-plan';
import type { Verdict } from '../../core/gates/judge';
import {
  judgeMeasuredTests,
  measuredOfTask,
  mismatchedFiles,
  readMeasuredRecords,
  summarizeTask,
  type MeasuredTask,
  type NxTaskRecord,
  type TaskSummary,
} from '../../core/gates/nx-task-run';
import type { TestTargetKind } from '../../core/gates/test-runner';
import { clearOldReports, evidenceEntry, keepEvidence, keepText } from './evidence-files';
import type { GateContext } from './gate-context';
import { pluginVersion } from '../../io/plugin-version';
import { safeFileName } from './safe-file-name';

/** The reporters the gates add; real paths, so every worktree names them alike (one task hash). */
const REPORTERS = join(__dirname, '..', '..', '..', 'reporters');
const reporter = (file: string) => realpathSync(join(REPORTERS, file));

const VITEST_COVERAGE_PROVIDERS = ['@vitest/coverage-v8', '@vitest/coverage-istanbul'];

/**
 * The flags that make a runner measure itself: our reporter beside its default one, and coverage.
 * Coverage is reported as a text summary only: our reporter reads the coverage map itself, and
 * report files would land in the worktree where a stock workspace may not ignore them (the Vitest
 * preset does not ignore its test-output folder).
 */
export function measuringFlags(kind: TestTargetKind, coverage: boolean): string[] {
  if (kind.runner === 'jest') {
    const style = kind.style === 'executor' ? ['--codeCoverage', '--coverageReporters=text-summary'] : ['--coverage', '--coverageReporters=text-summary'];
    return ['--reporters=default', `--reporters=${reporter('jest.cjs')}`, ...style];
  }
  if (kind.runner === 'vitest') {
    const flag = kind.style === 'executor' ? '--reporters' : '--reporter';
    return [`${flag}=default`, `${flag}=${reporter('vitest.mjs')}`, ...(coverage ? ['--coverage.enabled=true', '--coverage.reporter=text-summary'] : [])];
  }
  return [];
}

export interface TestGateRun {
  verdict: Verdict;
  tasks: TaskSummary[];
  report: string;
}

/**
 * The test gate: the target's affected tasks, grouped by how their runner takes flags, one Nx run
 * per group. Jest and Vitest measure themselves through our reporter, whose line Nx replays with the
 * task's output on a cache hit; other runners must write JUnit XML. A replay whose recorded files
 * differ from this checkout's (a cached run of other content) is run again without the cache.
 */
export async function runTestGate(spec: GateSpec, target: string, context: GateContext): Promise<TestGateRun> {
  let report = `logs/nx-${safeFileName(spec.name)}.log`;
  const done = (verdict: Verdict, tasks: TaskSummary[] = []): TestGateRun => ({ verdict, tasks, report });
  const known = await context.runs.testTargetKinds();
  if ('error' in known) return done({ status: 'could-not-run', detail: known.error });
  const kinds = known.kinds;
  const groups = new Map<string, { kind: TestTargetKind; projects: string[] }>();
  for (const [project, targets] of Object.entries(kinds)) {
    const kind = targets[target];
    if (!kind) continue;
    const key = `${kind.runner}-${kind.style}`;
    if (!groups.has(key)) groups.set(key, { kind, projects: [] });
    groups.get(key)!.projects.push(project);
  }
  if (groups.size === 0) return done({ status: 'n/a', detail: `no project has a ${target} target` });

  const coverageProvider = vitestCoverageProvider(context.checkout);
  if (!coverageProvider && [...groups.values()].some((group) => group.kind.runner === 'vitest')) {
    context.coverageGap = `no Vitest coverage provider is installed: add ${VITEST_COVERAGE_PROVIDERS[0]} to the workspace's devDependencies`;
  }
  const measured: MeasuredTask[] = [];
  const texts: EvidenceText[] = [];
  for (const [key, group] of groups) {
    const others = [...groups.values()].filter((other) => other !== group).flatMap((other) => other.projects);
    const flags = measuringFlags(group.kind, coverageProvider !== undefined);
    const before = group.kind.runner === 'other' ? await clearOldReports(context.checkout, spec.reports) : undefined;
    const args = [
      'affected',
      '-t',
      target,
      `--base=${context.mergeBase}`,
      ...(others.length ? [`--exclude=${others.join(',')}`] : []),
      ...(context.skipCache ? ['--skip-nx-cache'] : []),
      ...flags,
    ];
    const label = `${safeFileName(spec.name)}-${key}`;
    report = `logs/nx-${label}.log`;
    const outcome = await context.runs.run(label, args);
    if (!outcome.ok) return done({ status: 'could-not-run', detail: outcome.message });
    let tasks = outcome.run.tasks.filter((task) => task.target === target);
    if (group.kind.runner === 'other') {
      const kept = await keepEvidence(context.checkout, spec.reports, before!, context.store.dir, safeFileName(spec.name));
      context.kept.push(...kept.evidence);
      texts.push(...kept.texts);
      const junit = measureEvidence(kept.texts.filter((file) => file.kind === 'junit')).tests;
      for (const task of tasks) measured.push({ task: summarizeTask(task), tests: junit, failures: [], failedSuites: 0 });
      continue;
    }
    // Measured again, without the cache: replays that are not of this content, or carry no numbers.
    const suspect = tasks.filter((task) => !replayMatches(task, context.checkout));
    if (suspect.length) {
      context.progress(`measuring ${suspect.map((task) => task.project).join(', ')} again without the Nx cache: the cached output was not made for this content by this nx-stages`);
      const again = await context.runs.run(`${safeFileName(spec.name)}-${key}-again`, [
        'run-many',
        '-t',
        target,
        `--projects=${suspect.map((task) => task.project).join(',')}`,
        '--skip-nx-cache',
        ...flags,
      ]);
      if (!again.ok) return done({ status: 'could-not-run', detail: again.message });
      const rerun = new Map(again.run.tasks.filter((task) => task.target === target).map((task) => [task.project, task]));
      tasks = tasks.map((task) => rerun.get(task.project) ?? task);
    }
    for (const task of tasks) {
      const records = readMeasuredRecords(task.terminalOutput);
      const evidence: MeasuredEvidence = { task: task.id, hash: task.hash, status: task.status, records };
      const text = await keepText(
        context.store.dir,
        `${safeFileName(spec.name)}-${measured.length + 1}-${safeFileName(task.id)}.json`,
        'measured',
        `${JSON.stringify(evidence, null, 2)}\n`,
      );
      texts.push(text);
      context.kept.push(evidenceEntry(text));
      const numbers = measuredOfTask(records);
      measured.push({ task: summarizeTask(task), tests: numbers.tests, failures: numbers.failures, failedSuites: numbers.failedSuites });
    }
  }
  context.evidence.push(...texts);
  const total = measureEvidence(texts.filter((file) => file.kind !== 'coverage')).tests;
  return done(
    judgeMeasuredTests(target, measured, total, spec.allowSkipped),
    measured.map((entry) => entry.task),
  );
}

/** A task's numbers are for this checkout: it ran now, or its replayed records name the files as they are here. */
function replayMatches(task: NxTaskRecord, checkout: string): boolean {
  const records = readMeasuredRecords(task.terminalOutput);
  if (records.length === 0) return task.status === 'failure'; // a failure before the reporter ran is its own verdict
  if (records.some((record) => record.reporter !== `nx-stages@${pluginVersion()}`)) return false;
  const recorded = Object.assign({}, ...records.map((record) => record.files)) as Record<string, string | null>;
  const current: Record<string, string | null> = {};
  for (const path of Object.keys(recorded)) current[path] = digestOf(join(checkout, path));
  return mismatchedFiles(recorded, current).length === 0;
}

function digestOf(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  } catch {
    return null;
  }
}

function vitestCoverageProvider(checkout: string): string | undefined {
  const resolve = createRequire(join(checkout, 'package.json')).resolve;
  return VITEST_COVERAGE_PROVIDERS.find((name) => {
    for (const request of [`${name}/package.json`, name]) {
      try {
        resolve(request);
        return true;
      } catch {
        // not exported under this name, or not installed
      }
    }
    return false;
  });
}
