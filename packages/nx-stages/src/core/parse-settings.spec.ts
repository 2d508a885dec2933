import { DEFAULT_SHARED_FILES, invalidRefReason, parseSettings } from './parse-settings';

const FILE = 'stages/stages.yaml';
const parse = (text: string) => parseSettings(text, FILE, 'stages');

describe('parseSettings', () => {
  it('gives the defaults for an empty or comment-only file', () => {
    for (const text of ['', '# only comments\n# name: x\n']) {
      const { settings, problems } = parse(text);
      expect(problems).toEqual([]);
      expect(settings).toMatchObject({
        name: 'stages',
        branchPattern: 'stage-{id}',
        worktreeDir: '../{repo}-stage-{id}',
        copyIgnored: ['.env*'],
        dependencies: 'link',
        sharedFiles: DEFAULT_SHARED_FILES,
        file: FILE,
        folder: 'stages',
      });
      expect(settings.baseBranch).toBeUndefined();
      expect(settings.profiles.default).toContain('coverage');
    }
  });

  it('reads every documented field', () => {
    const { settings, problems } = parse(`name: dashboard-plan
baseBranch: develop
branchPattern: feature/stage-{id}
worktreeDir: ../worktrees/{repo}/{id}
copyIgnored: [".env*", ".npmrc.local"]
dependencies: install
ports: { base: 5000, step: 2 }
sharedFiles: [package.json]
teamSize: 3
remote: upstream
push: true
gates:
  coverage: { threshold: 85 }
  e2e: { run: "nx affected -t e2e --base={base}", tier: optional }
profiles:
  backend: [lint, build, test, coverage, e2e]
`);
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      name: 'dashboard-plan',
      baseBranch: 'develop',
      branchPattern: 'feature/stage-{id}',
      worktreeDir: '../worktrees/{repo}/{id}',
      copyIgnored: ['.env*', '.npmrc.local'],
      dependencies: 'install',
      ports: { base: 5000, step: 2 },
      sharedFiles: ['package.json'],
      teamSize: 3,
      remote: 'upstream',
      push: true,
    });
    expect(settings.gates.e2e).toEqual({ run: 'nx affected -t e2e --base={base}', tier: 'optional' });
    expect(Object.keys(settings.profiles)).toEqual(['default', 'backend']);
  });

  it.each([
    ['name: "a b"', 'invalid plan name', 1],
    ['baseBranch: "main branch"', 'invalid baseBranch', 1],
    ['branchPattern: stage', 'must contain {id}', 1],
    ['branchPattern: "stage..{id}"', 'invalid branchPattern', 1],
    ['worktreeDir: worktrees/{id}', 'inside the workspace', 1],
    ['worktreeDir: ../{repo}/worktrees/{id}', 'inside the workspace', 1],
    ['worktreeDir: ../x/../{repo}/{id}', 'inside the workspace', 1],
    ['dependencies: copy', 'invalid dependencies', 1],
    ['teamSize: 0', 'invalid teamSize', 1],
    ['teamSize: 2.5', 'invalid teamSize', 1],
    ['remote: "my remote"', 'invalid remote', 1],
    ['remote: origin/main', 'invalid remote', 1],
    ['push: yes please', 'invalid push', 1],
    ['ports: { base: 80 }', 'invalid ports', 1],
    ['gates: { coverage: { threshold: 120 } }', 'threshold', 1],
    ['gates: { coverage: { tier: required } }', 'tier', 1],
    ['gates: { e2e: { run: "" } }', 'run', 1],
    ['gates: { typecheck: { target: "tsc; rm -rf" } }', 'has target', 1],
    ['gates: { test: { allowSkipped: yes please } }', 'allowSkipped', 1],
    ['gates: { audit: { level: severe } }', 'use one of info, low, moderate, high, critical', 1],
    ['gates: { test: { reports: { xml: "*.xml" } } }', 'unusable reports', 1],
    ['profiles: { fast: [lint, tset] }', 'unknown gate "tset"', 1],
    ['sharedFiles: ["../outside"]', 'outside the workspace', 1],
  ])('refuses %s', (text, message, line) => {
    const { problems, settings } = parse(`\n${text}\n`);
    expect(problems[0]).toMatchObject({ severity: 'error', file: FILE, line: line + 1 });
    expect(problems[0].message + (problems[0].hint ?? '')).toContain(message);
    expect(settings.name).toBe('stages');
  });

  it('refuses an unknown gate option, at its line, with the nearest known one', () => {
    const { problems } = parse('name: stages\ngates:\n  coverage:\n    treshold: 85\n');
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: FILE,
        line: 4,
        message: 'gate "coverage" has an unknown option "treshold"',
        hint: 'did you mean "threshold"?',
      }),
    ]);
    expect(parse('gates: { e2e: { run: x, colour: red } }\n').problems[0].hint).toContain('known options: run, tier, threshold');
  });

  it('reads __proto__ and constructor as plain gate and profile names', () => {
    const { settings, problems } = parse('gates:\n  __proto__: { run: "node a.js" }\n  constructor: { run: "node b.js" }\nprofiles:\n  constructor: [__proto__, constructor]\n');
    expect(problems).toEqual([]);
    expect(Object.keys(settings.gates)).toEqual(['__proto__', 'constructor']);
    expect(settings.gates.__proto__).toEqual({ run: 'node a.js' });
    expect(settings.profiles.constructor).toEqual(['__proto__', 'constructor']);
    // A name nobody defined is not found on Object.prototype either.
    expect(parse('').settings.profiles.toString).toBeUndefined();
    expect(parse('').settings.gates.hasOwnProperty).toBeUndefined();
  });

  it('accepts worktree folders outside the workspace', () => {
    expect(parse('worktreeDir: ../../wt/{id}\n').problems).toEqual([]);
    expect(parse('worktreeDir: ../x/../repo/inner/../../{repo}-wt/{id}\n').problems).toEqual([]);
    expect(parse('worktreeDir: /srv/worktrees/{repo}-{id}\n').problems).toEqual([]);
  });

  it('suggests the nearest known field for a typo', () => {
    expect(parse('teamsize: 3\n').problems[0]).toMatchObject({ severity: 'warning', hint: 'did you mean "teamSize"?' });
  });

  it('reports malformed YAML with a line', () => {
    expect(parse('name: [x\nteamSize: 2\n').problems[0]).toMatchObject({ code: 'yaml', file: FILE });
  });
});

describe('invalidRefReason', () => {
  it.each(['main', 'feature/stage-1', 'release-2.0'])('accepts %s', (name) => expect(invalidRefReason(name)).toBeUndefined());
  it.each(['', 'a b', 'a..b', 'a~1', 'a^', 'a:b', '/a', 'a/', 'a.lock', 'a/.b', '-a', 'a@{1}', 'a//b'])('refuses %j', (name) => expect(invalidRefReason(name)).toBeDefined());
});
