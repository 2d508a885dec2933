import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { doctorFindings, VITEST_PACKAGES, type DoctorFacts, type NxJsonShape, type TestTarget } from '../core/doctor';
import { IGNORE_PROBES, type IgnoreAnswers, type IgnoreProbe } from '../core/doctor-ignores';
import { detectTestRunner } from '../core/gates/test-runner';
import { joinPath, loadPlan, PLAN_FILE } from '../core/load-plan';
import { installCommand } from '../core/package-manager';
import { done, failed, type Outcome } from '../core/outcome';
import { doctorReport, renderDoctor, type DoctorReport } from '../core/render-doctor';
import { ignoreRules } from '../git/ignored';
import { findExecutable, gateSearchPath } from '../io/find-executable';
import { installedVersion } from '../io/installed-package';
import { fsPlanSource } from '../io/fs-plan-source';

export interface DoctorOptions {
  /** Print only what needs fixing, then the verdict (init's summary). */
  problemsOnly?: boolean;
  /**
   * The workspace's test targets, read from Nx's project graph by the caller (the executor has
   * it, the bin reads it); undefined skips that check, as init must.
   */
  testTargets?: TestTarget[] | { error: string };
  /** Whose PATH the package manager is looked up in (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/**
 * `doctor`: what would stop the gates from measuring in the workspace at `root`; fails (kind
 * `failed`) on errors only. The findings are the text either way, each with its fix.
 */
export async function doctorCommand(root: string, folder: string, options: DoctorOptions = {}): Promise<Outcome<DoctorReport>> {
  const report = doctorReport(doctorFindings(await gatherDoctorFacts(root, folder, options)));
  const text = renderDoctor(report.findings, { problemsOnly: options.problemsOnly }).join('\n');
  if (report.success) return done(text, report);
  const errors = `${report.errors} error${report.errors === 1 ? '' : 's'}`;
  return failed(
    { kind: 'failed', message: `Doctor found ${errors}: the gates cannot measure in this workspace until they are fixed`, hint: 'Each error comes with its fix.' },
    { text, data: report },
  );
}

export async function gatherDoctorFacts(root: string, folder: string, options: DoctorOptions): Promise<DoctorFacts> {
  const nxJson = readJson<NxJsonShape>(join(root, 'nx.json'));
  const rootFiles = safeList(root);
  const packageJson = readJson<{ workspaces?: unknown; packageManager?: unknown }>(join(root, 'package.json')).value;
  const { manager } = installCommand(rootFiles);
  const plan = loadPlan(fsPlanSource(root), folder);
  const planFile = joinPath(folder, PLAN_FILE);
  const targets = options.testTargets;
  return {
    nxJson: nxJson.value,
    nxJsonProblem: nxJson.problem,
    packageManager: { rootFiles, packageJson },
    testTargets: targets,
    installed: Array.isArray(targets) ? vitestPackages(root, targets) : {},
    ignores: await readIgnores(root),
    onPath: { [manager]: findExecutable(manager, gateSearchPath(root, options.env), options.env) !== undefined },
    plan: { file: planFile, problems: plan.problems.filter((problem) => problem.file === planFile), profiles: plan.settings.profiles },
  };
}

/** Versions of vitest and its coverage providers resolving from each vitest project's root. */
function vitestPackages(root: string, targets: readonly TestTarget[]): DoctorFacts['installed'] {
  const installed: DoctorFacts['installed'] = {};
  for (const target of targets) {
    if (detectTestRunner(target.config).runner !== 'vitest' || installed[target.project]) continue;
    const found: Record<string, string> = {};
    for (const name of VITEST_PACKAGES) {
      const version = installedVersion(join(root, target.root), name);
      if (version) found[name] = version;
    }
    installed[target.project] = found;
  }
  return installed;
}

/** Asked of git directly: ignore rules apply before the first commit too (init runs there). */
async function readIgnores(root: string): Promise<DoctorFacts['ignores']> {
  const probes = Object.entries(IGNORE_PROBES) as Array<[IgnoreProbe, string]>;
  const rules = await ignoreRules(
    root,
    probes.map(([, path]) => path),
  );
  if (!rules.ok) return { error: rules.message, hint: rules.hint };
  return Object.fromEntries(probes.map(([probe, path]) => [probe, rules.value.get(path)])) as IgnoreAnswers;
}

function readJson<T>(file: string): { value?: T; problem?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { problem: `${file} does not exist` };
  }
  try {
    // nx.json may hold comments, as Nx allows; strip whole-line ones rather than refuse the file.
    return { value: JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as T };
  } catch (error) {
    return { problem: `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
