#!/usr/bin/env node
// Benchmark: what do `nx run-many -t gates` (stages side by side) and the Nx cache save?
//
//   node tools/bench/gates.mjs [--runs=5] [--keep]
//
// In a temp folder of its own (stage worktrees are created beside the workspace) it builds the
// workspace of e2e/gates.spec.ts: a real Nx 24 workspace (nx, @nx/devkit and the packed plugin
// installed with npm, then jest@30.5.2 and jest-junit@17.0.0), three Jest projects libs/alpha,
// libs/beta, libs/gamma whose `test` target runs jest with JUnit and json-summary coverage, cached
// by Nx with both reports as outputs, and a cached `build`; nx-stages init with
// `gates: { audit: { tier: recommended } }` (npm's advisory service cannot be reached from these
// machines: the gate reports "could not run" without blocking); three independent stages, each
// owning one project, each with its worktree (`nx g nx-stages:worktree`, node_modules linked) and
// one commit there that adds code and a passing test to its project. Then one unmeasured run of
// (a) as a warm-up (Nx's project graph in each checkout, jest's transform cache).
// It alternates, --runs times, the order of the two blocks swapping every run:
//   parallel    the Nx cache cleared (`nx reset --only-cache`), then (a) cold:
//               `nx run-many -t gates -p stage-1 stage-2 stage-3 --parallel=3`,
//               then at once (c) warm: the same command again, nothing changed in between
//   sequential  the Nx cache cleared, then (b): `nx run stage-1:gates`, `nx run stage-2:gates`,
//               `nx run stage-3:gates`, one after another (the cold work of (a), one stage at a time)
// all from the main checkout. Every measured command must exit 0, and every stage's
// stage-proofs/stage-<id>/reports/gates/gates.json must be this run's (started after the command
// did), for its worktree's HEAD, with tests counted and all passed; the build and test gates'
// reports must show no Nx cache hit in a cold run and only cache hits in a warm one. A run that
// fails any check stops the benchmark: timing failures would be worthless.
// HOME is a folder of the benchmark's own (in ~/.cache, removed on exit; not under /tmp, where Nx
// would not share its cache), so Nx's task cache, which every checkout of a repository shares under
// ~/.nx/<workspace hash>/cache, is the benchmark's; npm keeps using the user's (warm) npm cache
// for the installs. Nx runs with its defaults, the daemon off as on CI.
// Prints the medians, the ratios sequential / parallel and cold / warm, each gate's median
// duration, and writes tools/bench/results/gates.md.
// The plugin must be built first (`npm run build`); this script only packs it.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jestTestTarget } from '../jest-test-target.mjs';
import { benchEnv, benchTemp, capturingRunner, DEVKIT_VERSION, median, NX_VERSION, nxBin, packPlugin, parseArgs, runBench, writeResults } from './support.mjs';

const JEST_VERSION = '30.5.2';
const JEST_JUNIT_VERSION = '17.0.0';
/** Stage id → the project it owns and edits. */
const STAGES = [
  { id: '1', project: 'alpha' },
  { id: '2', project: 'beta' },
  { id: '3', project: 'gamma' },
];
/** Gates that run cached Nx targets: their reports tell a cold run from a warm one. */
const CACHED_GATES = ['build', 'test'];
const RUN_MANY = ['run-many', '-t', 'gates', '-p', ...STAGES.map((stage) => `stage-${stage.id}`), `--parallel=${STAGES.length}`];

const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'gates.md');
const { args, usage } = parseArgs('node tools/bench/gates.mjs [--runs=5] [--keep]');
const runs = Number(args.runs ?? 5);
if (!Number.isInteger(runs) || runs < 1) usage('--runs takes a positive whole number');

// Everything this script creates lives below `temp` (the workspace `app` and its sibling
// worktrees) and `home`, the HOME of every command: Nx's shared task cache goes to ~/.nx. That
// HOME must not lie under /tmp: there Nx refuses to share (other users could plant files) and
// each checkout keeps a cache of its own, which is not what a developer's machine does.
const temp = benchTemp('nx-stages-bench-gates-', { keep: Boolean(args.keep) });
mkdirSync(join(homedir(), '.cache'), { recursive: true });
const home = benchTemp('nx-stages-bench-gates-home-', { keep: Boolean(args.keep), parent: join(homedir(), '.cache') });
const root = join(temp, 'app');
const gitconfig = join(temp, '.gitconfig');
writeFileSync(gitconfig, '');
const env = benchEnv(temp, {
  HOME: home, XDG_CONFIG_HOME: join(home, '.config'),
  // The user's npm cache, as the other benchmarks use it: the installs are setup, not measured.
  npm_config_cache: join(homedir(), '.npm'),
  GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com',
});
const runCaptured = capturingRunner(temp);
const run = (command, commandArgs, cwd) => runCaptured(command, commandArgs, { cwd, env });
const nx = (nxArgs, cwd = root) => run(process.execPath, [nxBin(root), ...nxArgs], cwd);
const worktreeOf = (id) => `${root}-stage-${id}`;

function write(dir, path, content) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
}

/** The Jest project of e2e/gates.spec.ts: jest with JUnit and coverage, cached with both reports as outputs. */
function writeJestProject(name) {
  const dir = `libs/${name}`;
  write(root, `${dir}/project.json`, {
    name,
    root: dir,
    targets: {
      build: { executor: 'nx:run-commands', cache: true, options: { command: 'node -e "require(\'./index.js\')"', cwd: dir } },
      test: jestTestTarget(dir),
    },
  });
  write(root, `${dir}/jest.config.js`, "module.exports = { testEnvironment: 'node' };\n");
  write(root, `${dir}/index.js`, 'exports.twice = (n) => n * 2;\n');
  write(root, `${dir}/index.test.js`, "const { twice } = require('./index');\ntest('twice', () => expect(twice(2)).toBe(4));\n");
}

function makeWorkspace(tarball) {
  mkdirSync(root);
  run('git', ['init', '-q', '-b', 'main'], root);
  write(root, 'package.json', { name: 'bench-gates', version: '0.0.0', private: true });
  write(root, 'nx.json', '{}\n');
  write(root, '.gitignore', '.nx/\nnode_modules/\njunit.xml\ncoverage/\n');
  // The tarball sits beside the workspace: `file:../<tarball>` resolves from the sibling worktrees too.
  run('npm', ['install', '-D', '--save-exact', `nx@${NX_VERSION}`, `@nx/devkit@${DEVKIT_VERSION}`, `jest@${JEST_VERSION}`, `jest-junit@${JEST_JUNIT_VERSION}`, `../${basename(tarball)}`], root);
  for (const { project } of STAGES) writeJestProject(project);
  nx(['g', 'nx-stages:init']);
  const stagesYaml = join(root, 'stages', 'stages.yaml');
  writeFileSync(stagesYaml, `${readFileSync(stagesYaml, 'utf8')}\ngates:\n  audit: { tier: recommended }\n`);
  for (const { id, project } of STAGES) nx(['g', 'nx-stages:stage', id, `--name=Benchmark ${project}`, `--files=libs/${project}/**`]);
  run('git', ['add', '-A'], root);
  run('git', ['commit', '-q', '--no-verify', '-m', 'three jest projects and three stages'], root);
  for (const { id, project } of STAGES) {
    nx(['g', 'nx-stages:worktree', id]);
    const worktree = worktreeOf(id);
    write(worktree, `libs/${project}/index.js`, 'exports.twice = (n) => n * 2;\nexports.half = (n) => n / 2;\n');
    write(worktree, `libs/${project}/half.test.js`, "const { half } = require('./index');\ntest('half', () => expect(half(4)).toBe(2));\n");
    run('git', ['add', '-A'], worktree);
    run('git', ['commit', '-q', '--no-verify', '-m', `${project}: half`], worktree);
  }
}

const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

/** Folders named `cache` that Nx's task cache may use: the shared one under ~/.nx, and each checkout's own .nx/cache. */
function cacheFolders() {
  const nxHome = join(home, '.nx');
  const shared = existsSync(nxHome)
    ? readdirSync(nxHome, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(nxHome, entry.name, 'cache'))
    : [];
  return [...shared, join(root, '.nx', 'cache'), ...STAGES.map(({ id }) => join(worktreeOf(id), '.nx', 'cache'))].filter((dir) => existsSync(dir));
}

/** `nx reset --only-cache`: Nx's own way to drop the task cache every checkout shares; then no cache folder may hold anything. */
function clearCache() {
  nx(['reset', '--only-cache']);
  const left = cacheFolders().filter((dir) => readdirSync(dir).length > 0);
  if (left.length) throw new Error(`nx reset --only-cache left cached tasks in ${left.join(', ')}`);
}

/** Nx's run summary in a gate's report, "Cache: N/M hit (…)": N tasks of M came from the cache; undefined when there is none. */
function cacheHits(report) {
  const summary = /^\s*Cache:\s+(\d+)\/(\d+) hit/m.exec(report);
  return summary ? { hits: Number(summary[1]), of: Number(summary[2]) } : undefined;
}

/**
 * The checks that make a timed run count: each stage's gates.json written by this run, for the
 * commit checked out in its worktree, tests counted and passed, and the cached gates' reports
 * showing the expected cache state. Returns each stage's gate durations (ms by gate name).
 */
function checkResults(ids, startedAt, expectCache) {
  return ids.map((id) => {
    const worktree = worktreeOf(id);
    const resultPath = join(worktree, `stage-proofs/stage-${id}/reports/gates/gates.json`);
    if (!existsSync(resultPath)) throw new Error(`stage ${id}: no ${resultPath}`);
    const result = JSON.parse(readFileSync(resultPath, 'utf8'));
    const fail = (what) => new Error(`stage ${id}: ${what} (${resultPath})`);
    if (Date.parse(result.startedAt) < startedAt) throw fail(`the result is older than this run (started ${result.startedAt})`);
    const head = run('git', ['rev-parse', 'HEAD'], worktree).stdout.trim();
    if (result.commit !== head) throw fail(`measured ${result.commit}, the worktree is at ${head}`);
    const tests = result.tests;
    if (!tests || tests.total < 2 || tests.passed !== tests.total) throw fail(`tests not counted or not all passed: ${JSON.stringify(tests)}`);
    for (const name of CACHED_GATES) {
      const gate = result.gates.find((entry) => entry.name === name);
      if (gate?.status !== 'pass' || !gate.report) throw fail(`the ${name} gate did not pass: ${JSON.stringify(gate)}`);
      const cache = cacheHits(readFileSync(join(worktree, gate.report), 'utf8'));
      if (!cache || cache.of < 1) throw fail(`the ${name} gate's report (${gate.report}) has no Nx run summary with its tasks`);
      if (expectCache === 'cold' && cache.hits !== 0) throw fail(`the ${name} gate read ${cache.hits} of ${cache.of} task(s) from the Nx cache in a cold run`);
      if (expectCache === 'warm' && cache.hits !== cache.of) throw fail(`the ${name} gate ran tasks in a warm run (${cache.hits} of ${cache.of} from the cache)`);
    }
    return Object.fromEntries(result.gates.map((gate) => [gate.name, gate.durationMs]));
  });
}

const allIds = STAGES.map((stage) => stage.id);

/** (a) or (c): every stage's gates in one `nx run-many`, side by side. */
function parallelRun(expectCache) {
  const wallclock = Date.now();
  const start = process.hrtime.bigint();
  nx(RUN_MANY);
  const total = seconds(start);
  return { total, gates: checkResults(allIds, wallclock, expectCache) };
}

/** (b): `nx run stage-<id>:gates` for each stage, one after another. */
function sequentialRun() {
  const wallclock = Date.now();
  const start = process.hrtime.bigint();
  const each = [];
  for (const id of allIds) {
    const stageStart = process.hrtime.bigint();
    nx(['run', `stage-${id}:gates`]);
    each.push(seconds(stageStart));
  }
  const total = seconds(start);
  return { total, each, gates: checkResults(allIds, wallclock, 'cold') };
}

const fmtS = (s) => s.toFixed(2);

/** Median duration of each gate (s) over every stage of every run of one variant, in the profile's order. */
function gateMedians(samples) {
  const byGate = new Map();
  for (const sample of samples) for (const stage of sample.gates) for (const [name, ms] of Object.entries(stage)) byGate.set(name, [...(byGate.get(name) ?? []), ms / 1000]);
  return new Map([...byGate].map(([name, values]) => [name, median(values)]));
}

function report(samples, versions, load, cacheLocation) {
  const totals = Object.fromEntries(Object.entries(samples).map(([variant, list]) => [variant, list.map((sample) => sample.total)]));
  const med = Object.fromEntries(Object.entries(totals).map(([variant, list]) => [variant, median(list)]));
  const perStage = allIds.map((_, index) => median(samples.sequential.map((sample) => sample.each[index])));
  // Each ratio from its runs' own pairs (the warm run follows its cold run at once), then the median.
  const coldWarm = median(samples.parallel.map((sample, i) => sample.total / samples.warm[i].total));
  const seqPar = med.sequential / med.parallel;
  const gates = { parallel: gateMedians(samples.parallel), sequential: gateMedians(samples.sequential), warm: gateMedians(samples.warm) };
  const row = (label, variant) => `| ${label} | **${fmtS(med[variant])}** | ${totals[variant].map(fmtS).join(', ')} |`;
  const cores = cpus().length;
  return [
    '# nx-stages: gates of three stages, side by side and from the cache',
    '',
    `Wall-clock time of the whole command(s) from the main checkout, until every stage's gates have passed; median of ${runs} runs, the parallel and sequential blocks alternating in order.`,
    `Workspace (as in e2e/gates.spec.ts): Nx ${versions.nx}, jest ${versions.jest} + jest-junit ${versions.jestJunit}, three Jest projects (libs/alpha, libs/beta, libs/gamma) whose \`test\` target runs jest with JUnit and json-summary coverage ` +
      'and is cached by Nx with both reports as outputs, plus a cached `build`; three independent stages, each owning one project, each in its worktree (`nx g nx-stages:worktree`, node_modules linked) with one commit adding code and a passing test. ' +
      'The default gate profile; `audit` is `recommended` because npm\'s advisory service cannot be reached here (it reports "could not run", which blocks nothing).',
    '',
    `- **(a) parallel, cold**: the Nx cache cleared (\`nx reset --only-cache\`), then \`nx ${RUN_MANY.join(' ')}\`.`,
    '- **(b) sequential, cold**: the Nx cache cleared, then `nx run stage-1:gates`, `nx run stage-2:gates`, `nx run stage-3:gates`, one after another: the same work as (a), one stage at a time.',
    '- **(c) parallel, warm**: (a) again at once, nothing changed: the build and test tasks inside each worktree come from the Nx cache, the gates themselves (not cacheable) run again and measure the restored reports.',
    '',
    `Every measured run is checked: exit 0, each stage's \`stage-proofs/stage-<id>/reports/gates/gates.json\` written by that run for its worktree's HEAD with tests counted and all passed, and the build and test gates' reports showing no Nx cache hit in (a) and (b) and only cache hits in (c). ` +
      `One unmeasured run of (a) came first. HOME is a folder of the benchmark's own (outside /tmp, where Nx would not share), so the task cache the checkouts share (${cacheLocation}) is the benchmark's; Nx runs with its defaults, the daemon off as on CI.`,
    '',
    `Machine: Node ${process.version}, **${cores} cores**, nx ${versions.nx}, jest ${versions.jest}, nx-stages ${versions.plugin}, npm ${versions.npm}; ${new Date().toISOString().slice(0, 10)}. ` +
      `Load average (1 min) before / after the timed runs: ${load.before.toFixed(1)} / ${load.after.toFixed(1)} (anything above 0 is other work sharing the ${cores} cores, and noise in these numbers; ` +
      'it also leaves less idle capacity for the stages of (a) to use side by side). ' +
      `\`--parallel=3\` runs three gates tasks on ${cores} cores; each gives its inner Nx \`--parallel=${Math.max(1, Math.floor(cores / STAGES.length))}\` (the cores split between the stages), a lone \`nx run\` gives it ${cores}.`,
    '',
    '| variant | median (s) | each run (s) |',
    '|---|---:|---|',
    row('(a) parallel, cold: `run-many -t gates --parallel=3`', 'parallel'),
    row('(b) sequential, cold: `nx run stage-<id>:gates` × 3', 'sequential'),
    row('(c) parallel, warm: (a) again, nothing changed', 'warm'),
    '',
    `**Sequential / parallel: ${seqPar.toFixed(2)}×**; **cold / warm (first run / second run): ${coldWarm.toFixed(2)}×** (median of each run's own pair; ratio of the medians ${(med.parallel / med.warm).toFixed(2)}×). ` +
      `In (b) each stage took ${perStage.map(fmtS).join(' s, ')} s (medians), each a separate \`nx\` process with its own start-up and project graph.`,
    '',
    'Where a stage\'s time goes: median duration of each gate (s), over every stage of every run (the gates of one stage run one after another, in the profile\'s fast-fail order). ' +
      '`lint` and `typecheck` are n/a (no project has those targets), but `lint`, the first gate that needs to know what the stage affects, carries that question for the whole run: ' +
      '`nx show projects --affected` and `nx graph --file`, two Nx processes at once in the worktree. `build` and `test` are each one `nx affected -t <target>` there; the cache saves only the tasks they run, not those Nx start-ups. ' +
      '`audit` is `npm audit`, refused by the registry here.',
    '',
    '| gate | (a) parallel, cold | (b) sequential, cold | (c) parallel, warm |',
    '|---|---:|---:|---:|',
    ...[...gates.parallel.keys()].map((name) => `| ${name} | ${fmtS(gates.parallel.get(name))} | ${fmtS(gates.sequential.get(name) ?? NaN)} | ${fmtS(gates.warm.get(name) ?? NaN)} |`),
    '',
  ].join('\n');
}

function main() {
  console.error(`nx-stages gates benchmark: ${runs} runs (temp folder ${temp}, HOME ${home})`);
  const tarball = packPlugin(temp, runCaptured, env);
  console.error('  creating the workspace (npm install of nx, @nx/devkit, jest, jest-junit and the packed plugin), three stages and their worktrees…');
  makeWorkspace(tarball);
  const versions = {
    nx: versionOf('nx'), jest: versionOf('jest'), jestJunit: versionOf('jest-junit'), plugin: versionOf('nx-stages'),
    npm: run('npm', ['--version'], root).stdout.trim(),
  };
  console.error('  warm-up: one run of (a)…');
  clearCache();
  const warmUp = parallelRun('cold');
  const shared = cacheFolders();
  if (!shared.some((dir) => dir.startsWith(join(home, '.nx')))) throw new Error(`Nx did not use the shared cache under ${join(home, '.nx')}: ${shared.join(', ') || 'no cache folder found'}`);
  const cacheLocation = `~/.nx/<workspace hash>/cache; ${shared.length === 1 ? 'no checkout kept a cache of its own' : `also: ${shared.slice(1).join(', ')}`}`;
  console.error(`  warm-up took ${fmtS(warmUp.total)} s; the task cache is ${shared.join(', ')}`);

  const samples = { parallel: [], sequential: [], warm: [] };
  const loadBefore = loadavg()[0];
  for (let i = 1; i <= runs; i++) {
    const order = i % 2 === 1 ? ['parallel', 'sequential'] : ['sequential', 'parallel'];
    for (const block of order) {
      clearCache();
      if (block === 'parallel') {
        const cold = parallelRun('cold');
        const warm = parallelRun('warm');
        samples.parallel.push(cold);
        samples.warm.push(warm);
        console.error(`  run ${i} (a) parallel cold: ${fmtS(cold.total)} s, (c) warm: ${fmtS(warm.total)} s`);
      } else {
        const sequential = sequentialRun();
        samples.sequential.push(sequential);
        console.error(`  run ${i} (b) sequential cold: ${fmtS(sequential.total)} s (${sequential.each.map(fmtS).join(' + ')})`);
      }
    }
  }
  const load = { before: loadBefore, after: loadavg()[0] };
  const text = report(samples, versions, load, cacheLocation);
  writeResults(resultsFile, text);
}

await runBench(main);
