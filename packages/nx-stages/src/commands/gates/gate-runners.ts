import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installCommand } from '../../core/package-manager';
import { measureEvidence, type EvidenceText } from '../../core/gates/evidence';
import { describeRunner, type GateSpec } from '../../core/gates/gate-plan';
import type { Evidence } from '../../core/gates/gates-result';
import { judgeAudit, judgeCoverage, judgeExit, judgeTests, type Verdict, type Vulnerabilities } from '../../core/gates/judge';
import { findScaffoldMarkers, isLeftoverName } from '../../core/gates/placeholders';
import { gitText } from '../../git/run';
import type { AffectedTargets } from './affected-targets';
import { clearOldReports, keepEvidence } from './evidence-files';
import { runProcess, type ProcessOutcome } from './run-process';

export interface GateContext {
  checkout: string;
  /** The merge-base commit with the base branch: `{base}` and `nx affected --base`. */
  mergeBase: string;
  env: NodeJS.ProcessEnv;
  parallel: number;
  /** Checkout-relative folders of this stage's proof and its reports. */
  proofFolder: string;
  reportsFolder: string;
  evidenceFolder: string;
  nx: { bin: string } | { missing: string };
  affected: () => Promise<AffectedTargets | { error: string }>;
  /** Evidence collected by earlier gates of this run (the coverage gate reads it). */
  evidence: EvidenceText[];
  /** Verdicts of earlier gates of this run, by name. */
  verdicts: Map<string, Verdict>;
}

export interface GateRun {
  verdict: Verdict;
  command: string;
  /** Checkout-relative report path. */
  report: string;
  evidence: Evidence[];
  texts: EvidenceText[];
  vulnerabilities?: Vulnerabilities | null;
}

/** Runs one gate in the stage's checkout and judges it. Never throws for a gate's own failure. */
export async function runGate(spec: GateSpec, number: number, context: GateContext): Promise<GateRun> {
  const report = `${context.reportsFolder}/gate-${number}-${safeFileName(spec.name)}.txt`;
  const reportFile = join(context.checkout, report);
  const command = describeRunner(spec.runner, context.mergeBase);
  const done = (verdict: Verdict, extra: Partial<GateRun> = {}): GateRun => ({ verdict, command, report, evidence: [], texts: [], ...extra });
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
      const measured = measureEvidence(context.evidence.filter((file) => file.kind === 'coverage'));
      return note(judgeCoverage(measured.coverage, spec.threshold ?? 90), context.evidence.filter((file) => file.kind === 'coverage').map((file) => `read ${file.path}`).join('\n'));
    }
    case 'audit': {
      const { manager } = installCommand(await readdir(context.checkout));
      const outcome = await runProcess(manager, ['audit', '--json'], { cwd: context.checkout, env: context.env, reportFile, header: `${manager} audit --json` });
      if (outcome.startError) return done({ status: 'could-not-run', detail: `audit could not run: ${outcome.startError}` }, { vulnerabilities: null });
      const verdict = judgeAudit(outcome.exitCode ?? -1, outcome.stdout, outcome.stderr, spec.level);
      return done({ status: verdict.status, detail: verdict.detail }, { vulnerabilities: verdict.vulnerabilities, command: `${manager} audit --json` });
    }
    case 'affected': {
      if ('missing' in context.nx) return note({ status: 'could-not-run', detail: context.nx.missing });
      const nxBin = context.nx.bin;
      const affected = await context.affected();
      if ('error' in affected) return note({ status: 'could-not-run', detail: affected.error });
      const projects = affected.projectsWith(runner.target);
      if (projects.length === 0) return note({ status: 'n/a', detail: `no affected project has a ${runner.target} target` });
      const args = ['affected', '-t', runner.target, `--base=${context.mergeBase}`, `--parallel=${context.parallel}`, '--outputStyle=static'];
      return measured(spec, context, report, command, () =>
        runProcess(process.execPath, [nxBin, ...args], { cwd: context.checkout, env: context.env, reportFile, header: `nx ${args.join(' ')}` }),
        `${runner.target} of ${projects.join(', ')}`);
    }
    case 'command':
      return measured(spec, context, report, command, () =>
        // The user's own command line from stages.yaml; `{base}` is a commit SHA we computed.
        runProcess(command, [], { cwd: context.checkout, env: context.env, reportFile, header: command, shell: true }),
        command);
  }
}

/** Runs a process gate; a gate that collects evidence is judged on it, any other on its exit code. */
async function measured(spec: GateSpec, context: GateContext, report: string, command: string, run: () => Promise<ProcessOutcome>, ran: string): Promise<GateRun> {
  const judged = (verdict: Verdict, kept: Pick<GateRun, 'evidence' | 'texts'> = { evidence: [], texts: [] }): GateRun => ({ verdict, command, report, ...kept });
  const before = spec.collectsEvidence ? await clearOldReports(context.checkout, spec.reports) : new Map<string, number>();
  const outcome = await run();
  if (outcome.startError) return judged({ status: 'could-not-run', detail: outcome.startError });
  // 127: the shell found no such command. A missing tool is "could not run", not a failed check.
  if (spec.runner.kind === 'command' && outcome.exitCode === 127) {
    return judged({ status: 'could-not-run', detail: `${ran} could not run: ${outcome.stderr.trim().split('\n').pop() || 'command not found'}` });
  }
  if (outcome.exitCode === null) return judged({ status: 'fail', detail: `${ran} was stopped by ${outcome.signal ?? 'a signal'}` });
  if (!spec.collectsEvidence) return judged(judgeExit(outcome.exitCode, ran));
  const kept = await keepEvidence(context.checkout, spec.reports, before, context.evidenceFolder, safeFileName(spec.name));
  const tests = measureEvidence(kept.texts.filter((file) => file.kind === 'junit')).tests;
  return judged(judgeTests(outcome.exitCode, tests ?? undefined, spec.allowSkipped), kept);
}

/** Files the stage changed (committed or not) that a scaffold or an unfinished merge left behind. */
async function scaffoldLeftovers(context: GateContext): Promise<[Verdict, string]> {
  const [changed, untracked] = await Promise.all([
    gitText(context.checkout, ['diff', '--name-only', '-z', '--no-renames', context.mergeBase, '--']),
    gitText(context.checkout, ['ls-files', '-z', '--others', '--exclude-standard']),
  ]);
  if (!changed.ok) return [{ status: 'could-not-run', detail: changed.message }, ''];
  if (!untracked.ok) return [{ status: 'could-not-run', detail: untracked.message }, ''];
  const files = [...new Set([...changed.value.split('\0'), ...untracked.value.split('\0')])]
    .filter((path) => path && !path.startsWith(`${context.proofFolder}/`));
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

/** A gate name as a file name: gate names come from stages.yaml keys and must not reach outside the folder. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'gate';
}
