import type { Problem } from './model';
import { loadPlan } from './load-plan';
import { formatProblem, validatePlan, type ValidationReport } from './validate';
import { dashboardExample, memorySource, planOf, stage } from './test-support/plan-data';
import { planGates } from './gates/gate-plan';

const problemsOf = (report: ValidationReport, check?: string): Problem[] => report.checks.filter((c) => !check || c.name === check).flatMap((c) => c.problems);

describe('validatePlan', () => {
  it('passes the method example with no problems', () => {
    const report = validatePlan(planOf(dashboardExample()));
    expect(report).toMatchObject({ stageCount: 4, errors: 0, warnings: 0, groups: { '9.1': 'A', '9.4': 'B' } });
    expect(report.checks.map((check) => check.name)).toEqual(['files', 'dependencies', 'cycles', 'profiles', 'ownership', 'shared-files', 'sizing', 'value']);
  });

  it('names an unknown dependency with the nearest id and the line', () => {
    const report = validatePlan(planOf([stage('9.1'), stage('9.4', { dependsOn: ['9.l'] })]));
    expect(problemsOf(report, 'dependencies')).toEqual([
      expect.objectContaining({ severity: 'error', file: 'stages/9.4/stage.yaml', line: 5, message: 'stage 9.4 depends on unknown stage "9.l"', hint: 'did you mean "9.1"?' }),
    ]);
  });

  it('refuses a self-dependency', () => {
    expect(problemsOf(validatePlan(planOf([stage('a', { dependsOn: ['a'] })])), 'dependencies')[0].code).toBe('self-dependency');
  });

  it('prints cycles as a path', () => {
    const report = validatePlan(planOf([stage('1', { dependsOn: ['6'] }), stage('6', { dependsOn: ['4'] }), stage('4', { dependsOn: ['1'] })]));
    expect(problemsOf(report, 'cycles').map((problem) => problem.message)).toEqual(['dependency cycle: 1 → 6 → 4 → 1 (each depends on the next)']);
    expect(report.errors).toBe(1);
  });

  it('reports file ownership overlap only between stages that may run in parallel', () => {
    const report = validatePlan(
      planOf([
        stage('a', { files: ['src/app/**'] }),
        stage('b', { files: ['src/app/page.tsx'] }),
        stage('c', { files: ['src/app/layout.tsx'], dependsOn: ['a'] }),
        stage('d', { files: ['src/other/**'] }),
      ]),
    );
    const overlaps = problemsOf(report, 'ownership');
    expect(overlaps.map((problem) => problem.stages)).toEqual([['a', 'b']]);
    expect(overlaps[0].message).toContain('src/app/** ~ src/app/page.tsx');
    expect(overlaps[0].hint).toContain('make b depend on a');
  });

  it('reports shared files claimed by parallel stages, but not broad globs that merely could contain one', () => {
    const report = validatePlan(
      planOf([
        stage('a', { files: ['package.json', 'src/a/**', 'db/migrations/001-a.sql'] }),
        stage('b', { files: ['package.json', 'src/b/**', 'db/migrations/002-b.sql'] }),
        stage('c', { files: ['src/c/**'] }),
        stage('d', { files: ['src/d/**'] }),
      ]),
    );
    const shared = problemsOf(report, 'shared-files');
    expect(shared.map((problem) => [problem.stages, problem.message.split('shared file ')[1]])).toEqual([
      [['a', 'b'], 'package.json'],
      [['a', 'b'], '**/migrations/**'],
    ]);
    // The package.json clash is reported as a shared file, not twice.
    expect(problemsOf(report, 'ownership')).toEqual([]);
  });

  it('warns about sizing and imbalance but does not fail', () => {
    const report = validatePlan(planOf([stage('big', { duration: '3w', durationDays: 15 }), stage('tiny', { duration: '1d', durationDays: 1 })]));
    const messages = problemsOf(report, 'sizing').map((problem) => problem.message);
    expect(messages).toEqual(['stage big takes 3w, more than 2 weeks', 'stage tiny takes 1d, less than 3 days', 'group A is imbalanced: big takes 3w, tiny only 1d']);
    expect(report).toMatchObject({ errors: 0, warnings: 3 });
  });

  it('does not call 1w and 2w in one group imbalanced (the method sizes stages at 1–2 weeks)', () => {
    expect(problemsOf(validatePlan(planOf(dashboardExample())), 'sizing')).toEqual([]);
  });

  it('warns about a missing value statement', () => {
    const report = validatePlan(planOf([stage('a', { value: undefined })]));
    expect(problemsOf(report, 'value')[0]).toMatchObject({ severity: 'warning', code: 'missing-value' });
  });

  it('refuses an unknown gate profile', () => {
    const report = validatePlan(planOf([stage('a', { profile: 'backnd' })], { profiles: { default: [], backend: ['lint'] } }));
    expect(problemsOf(report, 'profiles')[0]).toMatchObject({ severity: 'error', hint: 'did you mean "backend"?' });
  });

  it('carries problems found while reading the files', () => {
    const plan = planOf([stage('a')]);
    plan.problems.push({ severity: 'error', code: 'yaml', message: 'invalid YAML: x', file: 'stages/b/stage.yaml', line: 2 });
    const report = validatePlan(plan);
    expect(problemsOf(report, 'files')).toHaveLength(1);
    expect(report.errors).toBe(1);
  });
});

describe('validate on a broken glob', () => {
  it('fails with the file, the line and what to do', () => {
    const plan = loadPlan(
      memorySource({
        'stages/stages.yaml': '',
        'stages/9.1-header/stage.yaml': 'id: "9.1"\nname: Header\nduration: 1w\nfiles:\n  - libs/shared/{header,styles}/**\n',
        'stages/9.2-x/stage.yaml': 'id: "9.2"\nname: X\nduration: 1w\nfiles:\n  - libs/ok/**\n  - libs/shared/{header/**\n',
      }),
      'stages',
    );
    const report = validatePlan(plan);
    expect(report.errors).toBe(1);
    expect(plan.stages.map((stage) => stage.id)).toEqual(['9.1']);
    expect(problemsOf(report, 'files').map(formatProblem)).toEqual([
      'stages/9.2-x/stage.yaml:6: error: invalid file entry "libs/shared/{header/**": "{" at character 13 is never closed — close the group, e.g. {header,styles}, or write \\{ for a literal brace',
      'stages/9.2-x/stage.yaml:6: warning: this stage is left out of the plan until its errors are fixed',
    ]);
  });

  it("fails on a broken glob in stages.yaml's sharedFiles too", () => {
    const plan = loadPlan(memorySource({ 'stages/stages.yaml': 'sharedFiles: ["**/migrations/**", "config/{a}.json"]\n' }), 'stages');
    expect(plan.problems.map(formatProblem)).toEqual([
      'stages/stages.yaml:1: error: invalid entry "config/{a}.json" in "sharedFiles": "{a}" at character 8 has a single alternative, so it would match the braces literally — write a without braces, or add alternatives: {a,other}',
    ]);
  });
});

describe('formatProblem', () => {
  it('reads like a compiler message', () => {
    expect(formatProblem({ severity: 'error', code: 'x', message: 'bad', hint: 'fix it', file: 'a/stage.yaml', line: 3, column: 7 })).toBe('a/stage.yaml:3:7: error: bad — fix it');
    expect(formatProblem({ severity: 'warning', code: 'x', message: 'hm' })).toBe('warning: hm');
  });
});

describe('profile and gate names are plain names', () => {
  it.each(['constructor', '__proto__', 'toString'])('a stage with profile %s is an unknown profile, not a crash', (profile) => {
    const plan = loadPlan(
      memorySource({
        'stages/stages.yaml': '',
        'stages/1/stage.yaml': `id: "1"\nname: One\nduration: 1w\nvalue: v\nprofile: "${profile}"\n`,
      }),
      'stages',
    );
    const problems = problemsOf(validatePlan(plan), 'profiles');
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', code: 'unknown-profile', file: 'stages/1/stage.yaml', line: 5 })]);
    expect(() => planGates(plan.settings, plan.stages[0])).toThrow(`stages/1/stage.yaml: profile "${profile}" is not defined in stages/stages.yaml`);
  });

  it('a gate named constructor is a gate like any other', () => {
    const plan = loadPlan(
      memorySource({
        'stages/stages.yaml': 'gates:\n  constructor: { run: "node build.js" }\nprofiles:\n  constructor: [constructor, lint]\n',
        'stages/1/stage.yaml': 'id: "1"\nname: One\nduration: 1w\nvalue: v\nprofile: constructor\n',
      }),
      'stages',
    );
    expect(validatePlan(plan).errors).toBe(0);
    expect(planGates(plan.settings, plan.stages[0]).map((gate) => [gate.name, gate.tier, gate.threshold, gate.runner.kind])).toEqual([
      ['lint', 'mandatory', undefined, 'affected'],
      ['constructor', 'optional', undefined, 'command'],
    ]);
  });
});
