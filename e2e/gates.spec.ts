/**
 * End-to-end: quality gates, proofs and verify in a real Nx 24 workspace with real Jest projects
 * as a user writes them by hand (jest from the registry, no JUnit reporter, no declared outputs:
 * nx-stages measures the tests itself), the packed plugin installed, stage worktrees beside the
 * workspace. Projects:
 *   libs/alpha, libs/beta, libs/gamma: `test` = `jest`, cached by Nx; alpha also has a `build`.
 *   No project has `lint` or `typecheck` (n/a).
 * Stages (independent): 1 edits alpha (all pass), 2 edits beta (a failing test), 3 edits gamma
 * (a skipped test, then coverage under the threshold), 4 edits alpha differently (a failing test:
 * Nx's cache holds stage 1's pass of the same project, which must not count).
 * `audit` is recommended in stages.yaml: npm's advisory service is unreachable here, and the
 * gate must say "could not run" without blocking the proof.
 *
 * The tests build on each other, in order. Needs the plugin built (`npm run test:e2e` builds it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatesResult } from '../packages/nx-stages/src/core/gates/gates-result';
import type { Proof } from '../packages/nx-stages/src/core/gates/proof';
import {
  commitIn,
  createWorkspace,
  expectSuccess,
  makeTempRoot,
  NX_VERSIONS,
  packPlugin,
  removeTempRoot,
  runIn,
  runNxAsync,
  runOrThrow,
  SETUP_TIMEOUT,
  STACK_TRACE,
  type Workspace,
  workspaceEnv,
} from './support/workspace';

jest.setTimeout(240_000);

const NX24 = NX_VERSIONS.find((version) => version.label === 'Nx 24')!;
let parent: string;
let ws: Workspace;
const worktreeOf = (id: string) => `${ws.root}-stage-${id}`;
const gitIn = (cwd: string, args: readonly string[]) => runIn(ws, cwd, 'git', args);
/** The gates keep their results in the repository's git common dir, never in the working tree. */
const storeOf = (id: string) => ws.path(`.git/nx-stages/gates/stage-${id}`);
const resultOf = (id: string): GatesResult => JSON.parse(readFileSync(join(storeOf(id), 'gates.json'), 'utf8'));
const gate = (id: string, name: string) => resultOf(id).gates.find((entry) => entry.name === name);

function writeJestProject(name: string, extraTargets: Record<string, unknown> = {}): void {
  ws.write(
    `libs/${name}/project.json`,
    `${JSON.stringify(
      {
        name,
        root: `libs/${name}`,
        targets: {
          test: {
            executor: 'nx:run-commands',
            cache: true,
            options: { command: 'jest', cwd: `libs/${name}` },
          },
          ...extraTargets,
        },
      },
      null,
      2,
    )}\n`,
  );
  ws.write(`libs/${name}/jest.config.js`, "module.exports = { testEnvironment: 'node' };\n");
  ws.write(`libs/${name}/index.js`, 'exports.twice = (n) => n * 2;\n');
  ws.write(`libs/${name}/index.test.js`, "const { twice } = require('./index');\ntest('twice', () => expect(twice(2)).toBe(4));\n");
}

beforeAll(() => {
  parent = makeTempRoot('nx-stages-e2e-gates-');
  const tarball = packPlugin(parent);
  ws = createWorkspace(parent, NX24, tarball);
  runOrThrow('npm', ['install', '-D', '--save-exact', 'jest@30.5.2'], { cwd: ws.root, env: workspaceEnv(ws), timeout: SETUP_TIMEOUT });
  writeJestProject('alpha', { build: { executor: 'nx:run-commands', cache: true, options: { command: 'node -e "require(\'./index.js\')"', cwd: 'libs/alpha' } } });
  writeJestProject('beta');
  writeJestProject('gamma');
  expectSuccess(ws.runNx(['g', 'nx-stages:init']));
  ws.write('stages/stages.yaml', `${ws.read('stages/stages.yaml')}\ngates:\n  audit: { tier: recommended }\n`);
  for (const args of [
    ['1', '--name=Alpha feature', '--files=libs/alpha/**'],
    ['2', '--name=Beta feature', '--files=libs/beta/**'],
    ['3', '--name=Gamma feature', '--files=libs/gamma/**'],
    ['4', '--name=Alpha rework', '--files=libs/alpha/**'],
    ['5', '--name=Delta on alpha', '--dependsOn=1', '--files=libs/delta/**'],
    ['6', '--name=Alpha thirds', '--files=libs/alpha/third*'],
  ])
    expectSuccess(ws.runNx(['g', 'nx-stages:stage', ...args]));
  ws.commitAll('three jest projects and four stages');
  for (const id of ['1', '2', '3', '4', '6']) expectSuccess(ws.runNx(['g', 'nx-stages:worktree', id]));
  expectSuccess(ws.runNx(['g', 'nx-stages:worktree', '5', '--stack']));
  commitIn(
    ws,
    worktreeOf('1'),
    {
      'libs/alpha/index.js': 'exports.twice = (n) => n * 2;\nexports.half = (n) => n / 2;\n',
      'libs/alpha/half.test.js': "const { half } = require('./index');\ntest('half', () => expect(half(4)).toBe(2));\n",
    },
    'alpha: half',
  );
  commitIn(
    ws,
    worktreeOf('2'),
    { 'libs/beta/index.test.js': "const { twice } = require('./index');\ntest('twice', () => expect(twice(2)).toBe(4));\ntest('wrong', () => expect(twice(2)).toBe(5));\n" },
    'beta: a failing test',
  );
  commitIn(
    ws,
    worktreeOf('3'),
    { 'libs/gamma/index.test.js': "const { twice } = require('./index');\ntest('twice', () => expect(twice(2)).toBe(4));\ntest.skip('later', () => {});\n" },
    'gamma: a skipped test',
  );
  commitIn(ws, worktreeOf('4'), { 'libs/alpha/index.js': 'exports.twice = (n) => n * 3;\n' }, 'alpha: a broken rework');
  commitIn(ws, worktreeOf('5'), { 'libs/delta/notes.md': '# Delta\n' }, 'delta: notes');
  // The same line of alpha's index.js as stage 1 changes: a conflict for the forecast to find.
  commitIn(
    ws,
    worktreeOf('6'),
    {
      'libs/alpha/index.js': 'exports.twice = (n) => n * 2;\nexports.third = (n) => n / 3;\n',
      'libs/alpha/third.test.js': "const { third } = require('./index');\ntest('third', () => expect(third(9)).toBe(3));\n",
    },
    'alpha: third',
  );
}, SETUP_TIMEOUT * 2);

/** The base checkout's state: what a refused merge must leave exactly as it was. */
const baseState = () => ({ head: ws.git(['rev-parse', 'HEAD']).stdout, status: ws.status(), merging: existsSync(ws.path('.git/MERGE_HEAD')) });

afterAll(() => (process.env.KEEP_E2E ? console.log(`kept ${parent}`) : removeTempRoot(parent)));

describe('gates, proof and verify on Nx 24 with real Jest projects', () => {
  it('`nx run-many -t gates` runs every stage in its own worktree at once, and fails for the failing ones', async () => {
    const run = await runNxAsync(ws, ['run-many', '-t', 'gates', '-p', 'stage-1', 'stage-2', 'stage-3', '--parallel=3']);
    expect(run.status).not.toBe(0);
    expect(run.output).not.toMatch(STACK_TRACE);

    expect(resultOf('1')).toMatchObject({ clean: true, tests: { total: 2, passed: 2, failed: 0, skipped: 0 } });
    expect(resultOf('1').commit).toBe(gitIn(worktreeOf('1'), ['rev-parse', 'HEAD']).stdout.trim());
    expect(resultOf('1').coverage?.lines).toBe(100);
    expect(resultOf('1').gates.map((entry) => `${entry.name}:${entry.status}`)).toEqual([
      'templates:pass',
      'lint:n/a',
      'build:pass',
      'typecheck:n/a',
      'test:pass',
      'coverage:pass',
      'proof:pending',
      'audit:could-not-run',
    ]);
    expect(gate('1', 'audit')?.detail).toMatch(/could not run/);
    expect(readFileSync(join(storeOf('1'), gate('1', 'test')!.report!), 'utf8')).toContain('nx affected -t test');
    expect(gate('1', 'test')?.tasks).toEqual([expect.objectContaining({ id: 'alpha:test', status: 'success', cached: false, hash: expect.any(String) })]);
    // Nothing of the gates is left in the worktrees: no uncommitted change for sync, clean or status.
    for (const id of ['1', '2', '3']) expect(gitIn(worktreeOf(id), ['status', '--porcelain', '--untracked-files=all']).stdout).toBe('');
    expectSuccess(await runNxAsync(ws, ['run', 'stage-1:sync']));

    expect(gate('2', 'test')).toMatchObject({ status: 'fail', detail: expect.stringContaining('1 failed') });
    expect(gate('2', 'coverage')?.status).toBe('not-run');
    expect(gate('3', 'test')).toMatchObject({ status: 'fail', detail: expect.stringContaining('1 skipped') });
    // Each stage measured its own worktree only.
    expect(resultOf('2').tests).toMatchObject({ total: 2, failed: 1 });
    expect(resultOf('3').tests).toMatchObject({ total: 2, skipped: 1 });
  });

  it('a second run with nothing changed reuses the result; --force measures again from the Nx cache, with the same numbers', async () => {
    const measuredAt = resultOf('1').finishedAt;
    const again = await runNxAsync(ws, ['run', 'stage-1:gates']);
    expectSuccess(again);
    expect(again.output).toContain('reused: nothing changed (content, gate settings, lock files) since they ran at');
    expect(resultOf('1').finishedAt).toBe(measuredAt);
    // The bin's verb is the same call without Nx's start-up: the summary alone on stdout.
    const bin = ws.runBin(['gates', '1']);
    expectSuccess(bin);
    expect(bin.stdout).toContain('reused: nothing changed');
    expect(resultOf('1').finishedAt).toBe(measuredAt);

    const forced = await runNxAsync(ws, ['run', 'stage-1:gates', '--force']);
    expectSuccess(forced);
    expect(resultOf('1').finishedAt).not.toBe(measuredAt);
    expect(gate('1', 'test')).toMatchObject({ status: 'pass', detail: expect.stringContaining('from the Nx cache') });
    expect(gate('1', 'test')?.tasks?.[0]).toMatchObject({ cached: true });
    expect(resultOf('1').tests).toEqual({ total: 2, passed: 2, failed: 0, skipped: 0 });
    expect(resultOf('1').coverage?.lines).toBe(100);
  });

  it('a cached pass of the same project from another branch never counts', async () => {
    const four = await runNxAsync(ws, ['run', 'stage-4:gates']);
    expect(four.status).not.toBe(0);
    expect(gate('4', 'test')).toMatchObject({ status: 'fail', detail: expect.stringContaining('failed') });
  });

  it('coverage under the threshold fails the coverage gate', async () => {
    commitIn(
      ws,
      worktreeOf('3'),
      {
        'libs/gamma/index.test.js': "const { twice } = require('./index');\ntest('twice', () => expect(twice(2)).toBe(4));\n",
        'libs/gamma/index.js': `exports.twice = (n) => n * 2;\n${Array.from({ length: 10 }, (_, i) => `exports.unused${i} = (n) => {\n  return n + ${i};\n};\n`).join('')}`,
      },
      'gamma: untested code',
    );
    const three = await runNxAsync(ws, ['run', 'stage-3:gates']);
    expect(three.status).not.toBe(0);
    expect(gate('3', 'test')?.status).toBe('pass');
    expect(gate('3', 'coverage')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/lines \d+(\.\d+)? % \(threshold 90 %\)/) });
  });

  it('proof commits and tags a passing stage; verify accepts it, then catches a later commit', async () => {
    const proved = await runNxAsync(ws, ['run', 'stage-1:proof', '--review=Half is tested; no open questions.']);
    expectSuccess(proved);
    expect(gitIn(worktreeOf('1'), ['log', '-1', '--format=%s']).stdout.trim()).toBe('Stage 1 Complete: Alpha feature');
    expect(gitIn(worktreeOf('1'), ['tag', '--list', 'stage-1-complete']).stdout.trim()).toBe('stage-1-complete');
    const proof: Proof = JSON.parse(readFileSync(join(worktreeOf('1'), 'stage-proofs/stage-1/proof.json'), 'utf8'));
    expect(proof).toMatchObject({ stage: '1', tests: { total: 2, passed: 2, failed: 0, skipped: 0 }, coverage: { lines: 100 } });
    expect(proof.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(existsSync(join(worktreeOf('1'), 'stage-proofs/stage-1/STAGE_1_PROOF.md'))).toBe(true);
    expectSuccess(await runNxAsync(ws, ['run', 'stage-1:verify']));

    commitIn(ws, worktreeOf('1'), { 'libs/alpha/later.js': 'module.exports = 1;\n' }, 'a change after the proof');
    const stale = await runNxAsync(ws, ['run', 'stage-1:verify']);
    expect(stale.status).not.toBe(0);
    expect(stale.output).toContain('the branch changed after the proof: libs/alpha/later.js');
    expect(stale.output).not.toMatch(STACK_TRACE);
  });

  it('proof is refused for a stage whose gates failed, and nothing is committed', async () => {
    const before = gitIn(worktreeOf('2'), ['rev-parse', 'HEAD']).stdout;
    const refused = await runNxAsync(ws, ['run', 'stage-2:proof', '--review=Reviewed.']);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('mandatory gates did not pass');
    expect(refused.output).not.toMatch(STACK_TRACE);
    expect(gitIn(worktreeOf('2'), ['rev-parse', 'HEAD']).stdout).toBe(before);
    expect(ws.git(['tag', '--list']).stdout.trim()).toBe('stage-1-complete');
  });
});

describe('integration on Nx 24: forecast, ordered merges, CI workflow', () => {
  it('proves stages 1 (again, after its late commit), 5 (stacked on 1) and 6', async () => {
    for (const id of ['1', '5', '6']) {
      expectSuccess(await runNxAsync(ws, ['run', `stage-${id}:gates`]));
      expectSuccess(await runNxAsync(ws, ['run', `stage-${id}:proof`, `--review=Stage ${id} reviewed.`]));
    }
  });

  it('the forecast names two parallel stages that edit the same lines, before any merge, touching no checkout', async () => {
    const before = baseState();
    const forecast = await runNxAsync(ws, ['run', 'stages:conflicts', '--json']);
    expect(forecast.status).not.toBe(0);
    expect(forecast.output).not.toMatch(STACK_TRACE);
    const report = JSON.parse(forecast.stdout.slice(forecast.stdout.indexOf('{'), forecast.stdout.lastIndexOf('}') + 1));
    expect(report.conflicts).toContainEqual({ stages: ['1', '6'], files: ['libs/alpha/index.js'] });
    expect(baseState()).toEqual(before);
  });

  it("`nx run-many -t merge` is the merge queue: the plan's merge order, stopping at the first refusal with the base clean", async () => {
    const merged = await runNxAsync(ws, ['run-many', '-t', 'merge']);
    expect(merged.status).not.toBe(0);
    expect(merged.output).not.toMatch(STACK_TRACE);
    // The queue: group A by id (1, 2, 3, 4, 6), then B (5, which needs 1).
    expect(merged.output).toContain("Merge queue into main, one at a time in the plan's merge order:");
    // Whichever task Nx runs first prints the queue from where it stands: 6 (group A) before 5 (group B), by id inside A.
    expect(merged.output).toMatch(/\d\. 4 {2}Alpha rework\n {2}\d\. 6 {2}Alpha thirds\n {2}\d\. 5 {2}Delta on alpha/);
    const history = ws.git(['log', '--first-parent', '--format=%s', 'main']).stdout.trim().split('\n');
    // 1 merged; 2 (its gates failed, no proof) stops the queue: nothing after it is merged, whichever task Nx ran first.
    expect(history.filter((subject) => subject.startsWith('Merge Stage'))).toEqual(['Merge Stage 1: Alpha feature']);
    expect(merged.output).toMatch(/Merge of stage 2 refused: its proof is not valid/);
    expect(merged.output).toMatch(/stage 2, ahead of (3|4|5|6) in the merge queue, was not merged/);
    expect(ws.status()).toBe('');
    expect(existsSync(ws.path('.git/MERGE_HEAD'))).toBe(false);
  });

  it('a refused merge moves nothing: an unproven stage run alone', async () => {
    const before = baseState();
    const refused = await runNxAsync(ws, ['run', 'stage-3:merge']);
    expect(refused.status).not.toBe(0);
    expect(refused.output).not.toMatch(STACK_TRACE);
    expect(baseState()).toEqual(before);
  });

  it('`nx g nx-stages:ci` writes a workflow that parses and has one job per stage, needs following dependsOn', async () => {
    expectSuccess(await runNxAsync(ws, ['g', 'nx-stages:ci']));
    const { parse } = await import('yaml');
    const workflow = parse(ws.read('.github/workflows/nx-stages.yml'));
    const jobs = Object.values(workflow.jobs) as { name: string; needs?: string[] | string }[];
    expect(jobs.map((job) => job.name).sort()).toEqual([
      'Stage 1: Alpha feature',
      'Stage 2: Beta feature',
      'Stage 3: Gamma feature',
      'Stage 4: Alpha rework',
      'Stage 5: Delta on alpha',
      'Stage 6: Alpha thirds',
    ]);
    const idOf = (name: string) => Object.entries(workflow.jobs).find(([, job]) => (job as { name: string }).name === name)![0];
    const five = workflow.jobs[idOf('Stage 5: Delta on alpha')];
    expect([five.needs].flat()).toEqual([idOf('Stage 1: Alpha feature')]);
    ws.remove('.github');
  });
});
