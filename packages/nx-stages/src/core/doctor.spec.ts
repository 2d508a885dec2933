import {
  addDevCommand,
  auditFindings,
  doctorFindings,
  parallelFindings,
  planFindings,
  pluginFindings,
  testTargetFindings,
  type DoctorFacts,
  type Finding,
  type TestTarget,
} from './doctor';
import { ignoreFindings, type IgnoreAnswers, type IgnoreRule } from './doctor-ignores';
import { DEFAULT_PROFILE } from './gate-catalog';
import { loadPlan } from './load-plan';
import { renderDoctor } from './render-doctor';
import { memorySource } from './test-support/plan-data';

const npm = { rootFiles: ['package.json', 'package-lock.json'] };
const levels = (findings: Finding[]) => findings.map((finding) => finding.level);
const rule = (pattern: string, line = 1, source = '.gitignore'): IgnoreRule => ({ source, line, pattern });
const target = (project: string, config: TestTarget['config']): TestTarget => ({ project, target: 'test', root: `libs/${project}`, config });

/** Every probe answered the way `nx g nx-stages:init` leaves a workspace. */
function wellIgnored(overrides: Partial<IgnoreAnswers> = {}): IgnoreAnswers {
  return {
    envLocal: rule('.env.local', 5),
    nodeModules: rule('node_modules', 6),
    nodeModulesLink: rule('node_modules', 6),
    nxCache: rule('.nx/cache', 7),
    nxWorkspaceData: rule('.nx/workspace-data', 8),
    stageProofs: undefined,
    ...overrides,
  };
}

describe('pluginFindings', () => {
  it.each([[['nx-stages']], [[{ plugin: 'nx-stages', options: {} }]], [['@nx/jest/plugin', 'nx-stages']]])('%j is registered', (plugins) => {
    expect(pluginFindings({ plugins })).toEqual([{ check: 'plugin', level: 'ok', message: 'nx-stages is registered in nx.json plugins' }]);
  });

  it.each([[undefined], [[]], [['@nx/jest/plugin', { plugin: 'nx-stages-other' }]], ['nx-stages']])('%j is an error fixed by init', (plugins) => {
    expect(pluginFindings({ plugins })).toEqual([expect.objectContaining({ level: 'error', fix: 'nx g nx-stages:init' })]);
  });

  it('says why nx.json could not be read', () => {
    expect(pluginFindings(undefined, 'nx.json is not valid JSON')[0]).toMatchObject({ level: 'error', message: expect.stringContaining('not valid JSON') });
  });
});

describe('testTargetFindings', () => {
  const jest = target('api', { executor: '@nx/jest:jest' });
  const vitest = target('web', { executor: '@nx/vitest:test' });

  it('counts jest and vitest targets nx-stages measures itself', () => {
    const findings = testTargetFindings([jest, vitest, target('cli', { command: 'jest' })], { web: { vitest: '3.2.4', '@vitest/coverage-istanbul': '3.2.4' } }, npm);
    expect(findings).toEqual([{ check: 'test-targets', level: 'ok', message: '3 test targets measured by nx-stages (jest: 2, vitest: 1)' }]);
  });

  it('warns about vitest without a coverage provider, with the install command pinned to its version', () => {
    const another = target('docs', { command: 'vitest run' });
    const findings = testTargetFindings([jest, vitest, another], { web: { vitest: '3.2.4' }, docs: { vitest: '3.2.4' } }, npm);
    expect(levels(findings)).toEqual(['ok', 'warning']);
    expect(findings[1]).toMatchObject({ message: expect.stringMatching(/^web:test, docs:test: vitest has no coverage provider/), fix: 'npm i -D @vitest/coverage-v8@3.2.4' });
  });

  it('uses the workspace package manager for the fix', () => {
    const [finding] = testTargetFindings([vitest], {}, { rootFiles: ['pnpm-lock.yaml', 'pnpm-workspace.yaml'] });
    expect(finding.fix).toBe('pnpm add -D -w @vitest/coverage-v8');
  });

  it('warns about other runners, naming the target and its outputs', () => {
    const mocha = target('legacy', { command: 'mocha --recursive', outputs: ['{projectRoot}/reports'] });
    const playwright = target('e2e', { executor: '@nx/playwright:playwright' });
    const [first, second] = testTargetFindings([mocha, playwright], {}, npm);
    expect(first).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('legacy:test runs "mocha --recursive", not jest or vitest'),
      fix: 'make it write junit*.xml and coverage-summary.json inside {projectRoot}/reports',
    });
    expect(second.message).toContain('e2e:test uses @nx/playwright:playwright');
    expect(second.message).toContain('it declares none');
    expect(second.fix).toBe('add "outputs": ["{projectRoot}/test-results"] to e2e:test and make it write junit.xml and coverage-summary.json there');
  });

  it('skips the check when the graph was not read, warns without test targets, fails when the graph failed', () => {
    expect(testTargetFindings(undefined, {}, npm)).toEqual([]);
    expect(levels(testTargetFindings([], {}, npm))).toEqual(['warning']);
    expect(testTargetFindings({ error: 'plugin crashed' }, {}, npm)).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('plugin crashed') })]);
  });
});

describe('parallelFindings', () => {
  it.each([[{ parallel: 1 }], [{ tasksRunnerOptions: { default: { options: { parallel: 1 } } } }]])('%j runs stages one at a time', (nxJson) => {
    expect(parallelFindings(nxJson)).toEqual([expect.objectContaining({ level: 'warning', fix: 'nx run-many -t gates --parallel=3' })]);
  });

  it.each([[{}], [{ parallel: 4 }]])('%j is fine', (nxJson) => {
    expect(levels(parallelFindings(nxJson))).toEqual(['ok']);
  });
});

describe('ignoreFindings', () => {
  it('is one ok line when init set everything up', () => {
    expect(ignoreFindings(wellIgnored())).toEqual([
      { check: 'ignore', level: 'ok', message: 'ignored: .env.local, .nx/cache, .nx/workspace-data, node_modules; stage-proofs/ committable' },
    ]);
  });

  it('gives the line to add for each missing entry', () => {
    const findings = ignoreFindings(wellIgnored({ envLocal: undefined, nxCache: undefined, nxWorkspaceData: undefined }));
    expect(findings.filter((finding) => finding.level === 'warning').map((finding) => finding.fix)).toEqual([
      'add this line to .gitignore: .env.local',
      'add this line to .gitignore: .nx/cache',
      'add this line to .gitignore: .nx/workspace-data',
    ]);
  });

  it('names the negation that un-ignores an entry', () => {
    const [, finding] = ignoreFindings(wellIgnored({ envLocal: rule('!.env.local', 9) }));
    expect(finding).toMatchObject({ level: 'warning', fix: 'remove line 9 of .gitignore: !.env.local' });
  });

  it('warns when node_modules is ignored only as a folder, which a symlink is not', () => {
    const finding = ignoreFindings(wellIgnored({ nodeModules: rule('node_modules/', 2), nodeModulesLink: undefined })).find((each) => each.level === 'warning');
    expect(finding).toMatchObject({
      message: expect.stringContaining('not ignored as a symlink (only as a folder: .gitignore:2: node_modules/)'),
      fix: 'add this line to .gitignore: node_modules',
    });
  });

  it('accepts node_modules/ when a slash-less rule also matches', () => {
    expect(levels(ignoreFindings(wellIgnored({ nodeModules: rule('node_modules/', 9) })))).toEqual(['ok']);
  });

  it('warns when node_modules is not ignored at all', () => {
    const findings = ignoreFindings(wellIgnored({ nodeModules: undefined, nodeModulesLink: undefined }));
    expect(findings[1]).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('node_modules is not ignored as a symlink:'),
      fix: 'add this line to .gitignore: node_modules',
    });
    const negated = ignoreFindings(wellIgnored({ nodeModules: rule('!node_modules', 3), nodeModulesLink: rule('!node_modules', 3) }));
    expect(negated[1].fix).toBe('remove line 3 of .gitignore: !node_modules');
  });

  it('fails when stage-proofs/ is ignored, with the line to remove or the lines to add', () => {
    const byName = ignoreFindings(wellIgnored({ stageProofs: rule('stage-proofs/', 4) }));
    expect(byName[1]).toMatchObject({
      level: 'error',
      message: expect.stringContaining('stage-proofs/ is ignored (.gitignore:4: stage-proofs/)'),
      fix: 'remove line 4 of .gitignore: stage-proofs/',
    });
    expect(byName[0].message).not.toContain('committable');
    const broad = ignoreFindings(wellIgnored({ stageProofs: rule('*.json', 3) }));
    expect(broad[1].fix).toBe('add these lines at the end of .gitignore: !stage-proofs/  and  !stage-proofs/**');
  });

  it('fails when git could not answer', () => {
    expect(ignoreFindings({ error: '/w is not inside a git repository', hint: 'git init' })).toEqual([
      { check: 'ignore', level: 'error', message: 'ignore rules could not be read: /w is not inside a git repository', fix: 'git init' },
    ]);
  });
});

describe('auditFindings', () => {
  const profiles = { default: DEFAULT_PROFILE };

  it('needs the workspace package manager on PATH', () => {
    expect(auditFindings(npm, { npm: true }, profiles)).toEqual([{ check: 'audit', level: 'ok', message: 'npm is on PATH for the audit gate' }]);
    expect(auditFindings({ rootFiles: ['yarn.lock'] }, { yarn: false }, profiles)).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringContaining('yarn is not on PATH'), fix: 'corepack enable yarn' }),
    ]);
  });

  it('does not care when no profile runs audit', () => {
    expect(levels(auditFindings(npm, {}, { default: ['lint', 'test'] }))).toEqual(['ok']);
  });
});

describe('planFindings', () => {
  it('passes a plan file that parses', () => {
    expect(planFindings('stages/stages.yaml', [])).toEqual([{ check: 'plan', level: 'ok', message: 'stages/stages.yaml parses' }]);
  });

  it('names file and line of each problem, from the same parser as validate', () => {
    const plan = loadPlan(memorySource({ 'stages/stages.yaml': 'name: q3\nteamSize: [\n' }), 'stages');
    const [finding] = planFindings('stages/stages.yaml', plan.problems);
    expect(finding.level).toBe('error');
    expect(finding.message).toMatch(/^stages\/stages\.yaml:\d+(:\d+)?: /);
  });

  it('fails without a plan file and says how to create one', () => {
    const plan = loadPlan(memorySource({}), 'stages');
    expect(planFindings('stages/stages.yaml', plan.problems)).toEqual([expect.objectContaining({ level: 'error', fix: expect.stringContaining('nx g nx-stages:init') })]);
  });
});

describe('addDevCommand', () => {
  it.each([
    [{ rootFiles: ['package-lock.json'] }, 'npm i -D x'],
    [{ rootFiles: [] }, 'npm i -D x'],
    [{ rootFiles: ['pnpm-lock.yaml'] }, 'pnpm add -D x'],
    [{ rootFiles: ['pnpm-lock.yaml', 'pnpm-workspace.yaml'] }, 'pnpm add -D -w x'],
    [{ rootFiles: ['yarn.lock'], packageJson: { workspaces: ['libs/*'] } }, 'yarn add -D -W x'],
    [{ rootFiles: ['yarn.lock', '.yarnrc.yml'], packageJson: { workspaces: ['libs/*'] } }, 'yarn add -D x'],
    [{ rootFiles: ['yarn.lock'], packageJson: { workspaces: ['libs/*'], packageManager: 'yarn@4.9.1' } }, 'yarn add -D x'],
    [{ rootFiles: ['bun.lock'] }, 'bun add -d x'],
  ])('%j → %s', (facts, command) => {
    expect(addDevCommand(facts, ['x'])).toBe(command);
  });
});

describe('doctorFindings and renderDoctor', () => {
  const facts: DoctorFacts = {
    nxJson: { plugins: ['nx-stages'], parallel: 1 },
    packageManager: npm,
    testTargets: [target('api', { executor: '@nx/jest:jest' }), target('web', { executor: '@nx/vite:test' })],
    installed: { web: { vitest: '3.2.4' } },
    ignores: wellIgnored({ stageProofs: rule('stage-proofs/', 4) }),
    onPath: { npm: true },
    plan: { file: 'stages/stages.yaml', problems: [], profiles: { default: DEFAULT_PROFILE } },
  };

  it('runs every check in order', () => {
    const findings = doctorFindings(facts);
    expect(findings.map((finding) => `${finding.check}:${finding.level}`)).toEqual([
      'plugin:ok',
      'test-targets:ok',
      'test-targets:warning',
      'parallel:warning',
      'ignore:ok',
      'ignore:error',
      'audit:ok',
      'plan:ok',
    ]);
  });

  it('renders one line per finding, fixes indented, and a verdict', () => {
    expect(renderDoctor(doctorFindings(facts)).join('\n')).toMatchSnapshot();
    expect(
      renderDoctor(
        doctorFindings({ ...facts, nxJson: { plugins: ['nx-stages'] }, installed: { web: { vitest: '3.2.4', '@vitest/coverage-v8': '3.2.4' } }, ignores: wellIgnored() }),
      ),
    ).toEqual([
      '✔ nx-stages is registered in nx.json plugins',
      '✔ 2 test targets measured by nx-stages (jest: 1, vitest: 1)',
      "✔ nx run-many -t gates runs stages side by side (parallel: Nx's default, 3)",
      '✔ ignored: .env.local, .nx/cache, .nx/workspace-data, node_modules; stage-proofs/ committable',
      '✔ npm is on PATH for the audit gate',
      '✔ stages/stages.yaml parses',
      '',
      '✔ Nothing stops the gates from measuring in this workspace.',
    ]);
  });

  it('prints only what needs fixing for init', () => {
    const lines = renderDoctor(doctorFindings({ ...facts, testTargets: undefined }), { problemsOnly: true });
    expect(lines.every((line) => !line.startsWith('✔'))).toBe(true);
    expect(lines[lines.length - 1]).toBe('✖ 1 error, 1 warning: the gates cannot measure until the errors are fixed.');
  });
});
