import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditCommand } from '../../core/gates/audit-command';
import { measureEvidence } from '../../core/gates/evidence';
import { failingJUnitCases } from '../../core/gates/junit';
import { describeRunner, type GateSpec } from '../../core/gates/gate-plan';
import { judgeAudit, judgeCoverage, judgeExit, judgeTests, type Verdict, type Vulnerabilities } from '../../core/gates/judge';
import { judgeTargetTasks, type TaskSummary } from '../../core/gates/nx-task-run';
import { findScaffoldMarkers, isLeftoverName } from '../../core/gates/placeholders';
import { gitText } from '../../git/run';
import { clearOldReports, keepEvidence } from './evidence-files';
import type { GateContext } from './gate-context';
import { runProcess, type ProcessOutcome } from './run-process';
import { safeFileName } from './safe-file-name';
import { runTestGate } from './test-gate';
import { readPackageManager } from '../../io/package-manager';

export interface GateRun {
  verdict: Verdict | 'not-run';
  command: string;
  /** Full output, relative to the gates store. */
  report: string;
  tasks?: TaskSummary[];
  vulnerabilities?: Vulnerabilities | null;
}

/** Gates whose verdict comes from one Nx target's tasks, run together with the other task gates. */
export function isTaskGate(spec: GateSpec): boolean {
  return spec.runner.kind === 'affected' && !spec.collectsEvidence;
}

/** Runs one gate in the stage's checkout and judges it. Never throws for a gate's own failure. */
export async function runGate(spec: GateSpec, number: number, context: GateContext): Promise<GateRun> {
  const report = `logs/gate-${number}-${safeFileName(spec.name)}.log`;
  const reportFile = context.store.file(report);
  const command = describeRunner(spec.runner, context.mergeBase);
  const done = (verdict: Verdict | 'not-run', extra: Partial<GateRun> = {}): GateRun => ({ verdict, command, report, ...extra });
  const note = async (verdict: Verdict, body = '') => {
    await writeFile(reportFile, `$ ${command}\n\n${body}${body && !body.endsWith('\n') ? '\n' : ''}${verdict.status}: ${verdict.detail}\n`);
    return done(verdict);
  };
  const runner = spec.runner;
  switch (runner.kind) {
    case 'templates':
      return note(...(await scaffoldLeftovers(context)));
    case 'proof':
      // Its verdict is the proof executor's: the review it checks is written after the gates.
      return note({ status: 'pass', detail: 'decided when the proof is written (its review is checked for placeholders then)' });
    case 'coverage': {
      const tests = context.verdicts.get('test');
      if (tests?.status === 'n/a') return note({ status: 'n/a', detail: 'no tests ran for the affected projects (test gate n/a)' });
      const files = context.evidence.filter((file) => file.kind !== 'junit');
      const measured = measureEvidence(files);
      if (measured.coverage === null && context.coverageGap) return note({ status: 'fail', detail: `not measured: ${context.coverageGap}` });
      return note(judgeCoverage(measured.coverage, spec.threshold ?? 90), files.map((file) => `read ${file.path}`).join('\n'));
    }
    case 'audit': {
      const audit = auditCommand(await readPackageManager(context.checkout));
      const outcome = await runProcess(audit.command, audit.args, { cwd: context.checkout, env: context.env, reportFile, header: audit.display });
      if (outcome.startError) return done({ status: 'could-not-run', detail: `audit could not run: ${outcome.startError}` }, { vulnerabilities: null, command: audit.display });
      const verdict = judgeAudit(outcome.exitCode ?? -1, outcome.stdout, outcome.stderr, spec.level, audit.display);
      return done({ status: verdict.status, detail: verdict.detail }, { vulnerabilities: verdict.vulnerabilities, command: audit.display });
    }
    case 'affected': {
      if ('missing' in context.nx) return note({ status: 'could-not-run', detail: context.nx.missing });
      if (spec.collectsEvidence) {
        const run = await runTestGate(spec, runner.target, context);
        return done(run.verdict, { tasks: run.tasks, report: run.report, command: `nx affected -t ${runner.target} --base=${context.mergeBase} (measured by nx-stages)` });
      }
      const found = await context.runs.taskGateTasks(runner.target);
      if ('error' in found) return done({ status: 'could-not-run', detail: found.error }, { report: found.log });
      return done(judgeTargetTasks(runner.target, found.tasks), { tasks: found.tasks, report: found.log });
    }
    case 'command':
      return measured(
        spec,
        context,
        report,
        command,
        () =>
          // The user's own command line from stages.yaml; `{base}` is a commit SHA we computed.
          runProcess(command, [], { cwd: context.checkout, env: context.env, reportFile, header: command, shell: true }),
        command,
      );
  }
}

/** A `run:` gate; one that collects evidence (`reports:`) is judged on its JUnit XML, any other on its exit code. */
async function measured(spec: GateSpec, context: GateContext, report: string, command: string, run: () => Promise<ProcessOutcome>, ran: string): Promise<GateRun> {
  const judged = (verdict: Verdict): GateRun => ({ verdict, command, report });
  const before = spec.collectsEvidence ? await clearOldReports(context.checkout, spec.reports) : new Map<string, number>();
  const outcome = await run();
  if (outcome.startError) return judged({ status: 'could-not-run', detail: outcome.startError });
  // 127: the shell found no such command. A missing tool is "could not run", not a failed check.
  if (outcome.exitCode === 127) {
    return judged({ status: 'could-not-run', detail: `${ran} could not run: ${outcome.stderr.trim().split('\n').pop() || 'command not found'}` });
  }
  if (outcome.exitCode === null) return judged({ status: 'fail', detail: `${ran} was stopped by ${outcome.signal ?? 'a signal'}` });
  if (!spec.collectsEvidence) return judged(judgeExit(outcome.exitCode, ran));
  const kept = await keepEvidence(context.checkout, spec.reports, before, context.store.dir, safeFileName(spec.name));
  context.kept.push(...kept.evidence);
  context.evidence.push(...kept.texts);
  const junit = kept.texts.filter((file) => file.kind === 'junit');
  const tests = measureEvidence(junit).tests;
  return judged(
    judgeTests(
      outcome.exitCode,
      tests ?? undefined,
      spec.allowSkipped,
      junit.flatMap((file) => failingJUnitCases(file.content)),
    ),
  );
}

/** Files the stage changed (committed or not) that a scaffold or an unfinished merge left behind. */
async function scaffoldLeftovers(context: GateContext): Promise<[Verdict, string]> {
  const [changed, untracked] = await Promise.all([
    gitText(context.checkout, ['diff', '--name-only', '-z', '--no-renames', context.mergeBase, '--']),
    gitText(context.checkout, ['ls-files', '-z', '--others', '--exclude-standard']),
  ]);
  if (!changed.ok) return [{ status: 'could-not-run', detail: changed.message }, ''];
  if (!untracked.ok) return [{ status: 'could-not-run', detail: untracked.message }, ''];
  const files = [...new Set([...changed.value.split('\0'), ...untracked.value.split('\0')])].filter((path) => path && !path.startsWith(`${context.proofFolder}/`));
  const findings: string[] = [];
  for (const path of files.sort()) {
    const full = join(context.checkout, path);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) continue; // deleted by the stage
    if (isLeftoverName(path)) findings.push(`${path}: leftover file`);
    if (info.size > 2_000_000) continue;
    const text = await readFile(full, 'utf8');
    if (text.includes('\0')) continue; // binary
    for (const marker of findScaffoldMarkers(text)) findings.push(`${path}:${marker.line}: ${marker.text}`);
  }
  const body = `checked ${files.length} changed file${files.length === 1 ? '' : 's'}\n${findings.join('\n')}`;
  return findings.length
    ? [{ status: 'fail', detail: `${findings.length} scaffold leftover${findings.length === 1 ? '' : 's'}, first ${findings[0]}` }, body]
    : [{ status: 'pass', detail: `no scaffold leftovers in ${files.length} changed file${files.length === 1 ? '' : 's'}` }, body];
}
