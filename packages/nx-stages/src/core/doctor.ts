import { ignoreFindings, type IgnoreAnswers } from './doctor-ignores';
import { detectTestRunner, type TargetShape } from './gates/test-runner';
import type { Problem } from './model';
import { installCommand } from './package-manager';
import { problemLocation } from './validate';

/**
 * `doctor`: what would stop the quality gates from measuring in a workspace, and the exact fix for
 * each. Pure: the command gathers the facts (nx.json, Nx's test targets, git's ignore rules, PATH,
 * the plan file) and these checks judge them, so every rule is tested on plain data. The ignore
 * rules are in doctor-ignores.ts.
 */

export type FindingLevel = 'ok' | 'warning' | 'error';
export type DoctorCheck = 'plugin' | 'test-targets' | 'parallel' | 'ignore' | 'audit' | 'plan';

export interface Finding {
  check: DoctorCheck;
  level: FindingLevel;
  message: string;
  /** The command to run or the line to change. */
  fix?: string;
}

/** The parts of nx.json the checks read; anything a user wrote may be there, so all is unknown. */
export interface NxJsonShape {
  plugins?: unknown;
  parallel?: unknown;
  tasksRunnerOptions?: unknown;
}

export interface TestTarget {
  project: string;
  target: string;
  /** Project root, workspace-relative: where the runner's packages resolve from. */
  root: string;
  config: TargetShape & { outputs?: string[] };
}

export interface PackageManagerFacts {
  /** Names of the files at the workspace root (the lock file tells the manager). */
  rootFiles: string[];
  packageJson?: { workspaces?: unknown; packageManager?: unknown };
}

export interface DoctorFacts {
  nxJson?: NxJsonShape;
  /** Why nx.json could not be read, when it could not. */
  nxJsonProblem?: string;
  packageManager: PackageManagerFacts;
  /** Every project's `test` target; undefined when the project graph was not read (init). */
  testTargets?: TestTarget[] | { error: string };
  /** Per project, the version of each of VITEST_PACKAGES that resolves from its root. */
  installed: Record<string, Record<string, string>>;
  ignores: IgnoreAnswers | { error: string; hint?: string };
  /** Whether each program is found on the gates' PATH. */
  onPath: Record<string, boolean>;
  plan: { file: string; problems: Problem[]; profiles: Record<string, string[]> };
}

export const VITEST_COVERAGE_PROVIDERS = ['@vitest/coverage-v8', '@vitest/coverage-istanbul'];
export const VITEST_PACKAGES = ['vitest', ...VITEST_COVERAGE_PROVIDERS];
const PLUGIN = 'nx-stages';

export function doctorFindings(facts: DoctorFacts): Finding[] {
  return [
    ...pluginFindings(facts.nxJson, facts.nxJsonProblem),
    ...testTargetFindings(facts.testTargets, facts.installed, facts.packageManager),
    ...parallelFindings(facts.nxJson),
    ...ignoreFindings(facts.ignores),
    ...auditFindings(facts.packageManager, facts.onPath, facts.plan.profiles),
    ...planFindings(facts.plan.file, facts.plan.problems),
  ];
}

/** The gates read Nx's task results through the plugin's postTasksExecution hook. */
export function pluginFindings(nxJson: NxJsonShape | undefined, problem?: string): Finding[] {
  if (!nxJson) return [{ check: 'plugin', level: 'error', message: `nx.json could not be read${problem ? `: ${problem}` : ''}`, fix: 'fix nx.json, then nx g nx-stages:init' }];
  const plugins = Array.isArray(nxJson.plugins) ? (nxJson.plugins as unknown[]) : [];
  const registered = plugins.some((plugin) => plugin === PLUGIN || (typeof plugin === 'object' && plugin !== null && (plugin as { plugin?: unknown }).plugin === PLUGIN));
  if (registered) return [{ check: 'plugin', level: 'ok', message: 'nx-stages is registered in nx.json plugins' }];
  return [
    {
      check: 'plugin',
      level: 'error',
      message: 'nx-stages is not in nx.json plugins: the gates read test results through its postTasksExecution hook',
      fix: 'nx g nx-stages:init',
    },
  ];
}

export function testTargetFindings(targets: DoctorFacts['testTargets'], installed: DoctorFacts['installed'], packageManager: PackageManagerFacts): Finding[] {
  if (targets === undefined) return [];
  if (!Array.isArray(targets)) {
    return [{ check: 'test-targets', level: 'error', message: `Nx's project graph could not be read: ${targets.error}`, fix: 'nx show projects   (shows why)' }];
  }
  if (targets.length === 0) {
    return [{ check: 'test-targets', level: 'warning', message: 'no project has a test target: the test and coverage gates will have nothing to measure (N/A)' }];
  }
  const measured = { jest: 0, vitest: 0 };
  const withoutProvider = new Map<string, string[]>(); // fix command → targets it fixes
  const others: Finding[] = [];
  for (const target of targets) {
    const { runner } = detectTestRunner(target.config);
    const name = `${target.project}:${target.target}`;
    if (runner === 'other') {
      others.push(otherRunnerFinding(name, target.config));
      continue;
    }
    const packages = installed[target.project] ?? {};
    if (runner === 'vitest' && !VITEST_COVERAGE_PROVIDERS.some((provider) => packages[provider])) {
      // The provider must match vitest's own version, or vitest refuses it.
      const version = packages.vitest ? `@${packages.vitest}` : '';
      const fix = addDevCommand(packageManager, [`@vitest/coverage-v8${version}`]);
      withoutProvider.set(fix, [...(withoutProvider.get(fix) ?? []), name]);
      continue;
    }
    measured[runner] += 1;
  }
  const findings: Finding[] = [];
  const total = measured.jest + measured.vitest;
  if (total > 0) {
    const counts = (['jest', 'vitest'] as const).filter((runner) => measured[runner] > 0).map((runner) => `${runner}: ${measured[runner]}`);
    findings.push({ check: 'test-targets', level: 'ok', message: `${plural(total, 'test target')} measured by nx-stages (${counts.join(', ')})` });
  }
  for (const [fix, names] of withoutProvider) {
    findings.push({
      check: 'test-targets',
      level: 'warning',
      fix,
      message: `${names.join(', ')}: vitest has no coverage provider (${VITEST_COVERAGE_PROVIDERS.join(' or ')}), so coverage cannot be measured`,
    });
  }
  return [...findings, ...others];
}

/** A runner nx-stages cannot pass flags to: its reports must be files Nx restores from its cache. */
function otherRunnerFinding(name: string, config: TestTarget['config']): Finding {
  const command = typeof config.command === 'string' ? config.command : typeof config.options?.command === 'string' ? config.options.command : undefined;
  const runs = command ? `runs "${command.length > 60 ? `${command.slice(0, 57)}...` : command}"` : `uses ${config.executor ?? 'an unknown executor'}`;
  const outputs = config.outputs ?? [];
  const reports = 'JUnit XML (junit*.xml) and coverage-summary.json';
  return {
    check: 'test-targets',
    level: 'warning',
    message: `${name} ${runs}, not jest or vitest: nx-stages reads its results only from ${reports} inside its declared outputs, the only files Nx restores from its cache${outputs.length ? '' : '; it declares none'}`,
    fix: outputs.length
      ? `make it write junit*.xml and coverage-summary.json inside ${outputs.join(', ')}`
      : `add "outputs": ["{projectRoot}/test-results"] to ${name} and make it write junit.xml and coverage-summary.json there`,
  };
}

/** `nx.json` `"parallel": 1` serialises every run-many, the stages' gates included. */
export function parallelFindings(nxJson: NxJsonShape | undefined): Finding[] {
  if (!nxJson) return [];
  const runner = (nxJson.tasksRunnerOptions as { default?: { options?: { parallel?: unknown } } } | undefined)?.default?.options?.parallel;
  const parallel = nxJson.parallel ?? runner;
  if (parallel === 1 || parallel === false) {
    return [
      {
        check: 'parallel',
        level: 'warning',
        message: `nx.json sets "parallel": ${String(parallel)}: nx run-many -t gates runs the stages one at a time`,
        fix: 'nx run-many -t gates --parallel=3',
      },
    ];
  }
  const told = parallel === undefined ? "Nx's default, 3" : String(parallel);
  return [{ check: 'parallel', level: 'ok', message: `nx run-many -t gates runs stages side by side (parallel: ${told})` }];
}

/** The audit gate runs the workspace's package manager; it must be findable. */
export function auditFindings(packageManager: PackageManagerFacts, onPath: Record<string, boolean>, profiles: Record<string, string[]>): Finding[] {
  const { manager } = installCommand(packageManager.rootFiles);
  if (!Object.values(profiles).some((gates) => gates.includes('audit'))) {
    return [{ check: 'audit', level: 'ok', message: 'no gate profile runs audit' }];
  }
  if (onPath[manager]) return [{ check: 'audit', level: 'ok', message: `${manager} is on PATH for the audit gate` }];
  const install = { npm: "npm comes with Node.js: put Node's bin folder on PATH", pnpm: 'corepack enable pnpm', yarn: 'corepack enable yarn', bun: 'npm i -g bun' }[manager];
  return [{ check: 'audit', level: 'error', message: `${manager} is not on PATH: the audit gate cannot run ${manager}'s audit and fails`, fix: install }];
}

export function planFindings(file: string, problems: readonly Problem[]): Finding[] {
  if (problems.length === 0) return [{ check: 'plan', level: 'ok', message: `${file} parses` }];
  return problems.map((problem) => {
    const location = problemLocation(problem) || file;
    // Some messages already name the file ("no plan file stages/stages.yaml").
    const message = problem.message.includes(location) ? problem.message : `${location}: ${problem.message}`;
    return { check: 'plan', level: problem.severity === 'error' ? 'error' : 'warning', message, ...(problem.hint ? { fix: problem.hint } : {}) };
  });
}

/** The workspace manager's add-a-dev-dependency command, at the workspace root. */
export function addDevCommand(packageManager: PackageManagerFacts, packages: string[]): string {
  const { rootFiles, packageJson } = packageManager;
  const list = packages.join(' ');
  switch (installCommand(rootFiles).manager) {
    case 'pnpm':
      // pnpm refuses to add to a workspace's root without -w.
      return `pnpm add -D ${rootFiles.includes('pnpm-workspace.yaml') ? '-w ' : ''}${list}`;
    case 'yarn': {
      // Yarn 1 refuses to add to a workspaces root without -W; Yarn 2+ has no such flag.
      const modern = rootFiles.includes('.yarnrc.yml') || /^yarn@([2-9]|\d{2,})/.test(String(packageJson?.packageManager ?? ''));
      return `yarn add -D ${!modern && packageJson?.workspaces ? '-W ' : ''}${list}`;
    }
    case 'bun':
      return `bun add -d ${list}`;
    default:
      return `npm i -D ${list}`;
  }
}

export function countFindings(findings: readonly Finding[]): { errors: number; warnings: number } {
  return {
    errors: findings.filter((finding) => finding.level === 'error').length,
    warnings: findings.filter((finding) => finding.level === 'warning').length,
  };
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
