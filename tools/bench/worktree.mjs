#!/usr/bin/env node
// Benchmark: how long until a new stage worktree can run the workspace's tests?
//
//   node tools/bench/worktree.mjs [--runs=5] [--keep]
//
// In a temp folder of its own (worktrees are created beside the workspace) it builds a realistic
// Nx TypeScript workspace: the files and dev dependencies that `create-nx-workspace@23.2.1
// --preset=ts` followed by `nx g @nx/js:lib packages/<name> --unitTestRunner=jest --linter=eslint`
// produce — nx, @nx/js, @nx/jest, @nx/eslint, @nx/eslint-plugin, typescript, jest, @swc/jest +
// @swc/core, ts-jest, ts-node, @types/jest, @types/node, eslint, typescript-eslint, prettier, …
// at the exact versions that preset resolved (typescript aside, see below): about 940 packages,
// 290 MB of node_modules. npm workspaces; the Nx plugins @nx/js/typescript, @nx/eslint/plugin and
// @nx/jest/plugin; two libraries packages/alpha and packages/beta whose `test` target is the one
// @nx/jest infers (jest with @swc/jest). Nx 23.2.1 because it is the newest release that has every
// @nx/* package. Then the packed plugin, nx-stages init, a stage per run and variant, package-lock.json
// committed, and one run-many in the main checkout (one-time work charged to neither variant).
// It alternates, --runs times each (run i of each variant gets a worktree at a new path, as a
// developer's new worktree would: jest keys its caches by path, so no run inherits another's):
//   bin     `npx nx-stages worktree <id>`
//   daemon  `npx nx g nx-stages:worktree <id>`, Nx daemon on (a developer machine's default)
//   nxg     `npx nx g nx-stages:worktree <id>`, daemon off (Nx's default on CI and in containers)
//           (the three nx-stages variants use its default setup: node_modules mirrored by links)
//   plain   `git worktree add -b <branch> <path>`, `npm install` in it (no audit, no fund,
//           throwaway npm user config, npm's usual warm cache)
// Setup is timed from the start of the command until the worktree is ready; then
// `npx nx run-many -t test --skip-nx-cache` runs in it (daemon off), timed too, and must have run
// the worktree's own test files (--skip-nx-cache: Nx shares its task cache between worktrees and
// would otherwise replay the main checkout's results instead of testing). After each run it
// measures the new worktree's disk use (`du`, symlinks not followed) and removes that worktree and
// its branch (only what this script created). For scale it also times `nx show projects` in the
// main checkout (Nx's start-up and project graph without the daemon), and records the load
// average. Prints the medians and the ratios plain / variant, and writes tools/bench/results/worktree.md.
// The plugin must be built first (`npm run build`); this script only packs it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes } from '../../packages/nx-stages/dist/core/status-report.js';
import { writeStockTsWorkspace } from './stock-workspace.mjs';
import { benchEnv, benchTemp, capturingRunner, median, nxBin, packPlugin, parseArgs, runBench, writeResults } from './support.mjs';

const PROJECTS = ['alpha', 'beta'];
const RUN_MANY = ['nx', 'run-many', '-t', 'test', '--skip-nx-cache', '--output-style=static'];

const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'worktree.md');
const { args, usage } = parseArgs('node tools/bench/worktree.mjs [--runs=5] [--keep]');
const runs = Number(args.runs ?? 5);
if (!Number.isInteger(runs) || runs < 1) usage('--runs takes a positive whole number');

// Everything this script creates lives below `temp`: the workspace `app` and its sibling worktrees.
const temp = benchTemp('nx-stages-bench-worktree-', { keep: Boolean(args.keep) });
const root = join(temp, 'app');
const gitconfig = join(temp, '.gitconfig');
writeFileSync(gitconfig, '');
/** The shared isolated environment, plus a throwaway git config and identity for the commits. */
const baseEnv = () =>
  benchEnv(temp, {
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  });
const runCaptured = capturingRunner(temp);
const run = (command, commandArgs, cwd) => runCaptured(command, commandArgs, { cwd, env: baseEnv() });

function makeWorkspace(tarball) {
  mkdirSync(root);
  run('git', ['init', '-q', '-b', 'main'], root);
  writeStockTsWorkspace(root, { tarball, projects: PROJECTS, logTestPath: true });
  run('npm', ['install'], root);
  run(process.execPath, [nxBin(root), 'g', 'nx-stages:init'], root);
  // One stage per run and nx-stages variant, owning disjoint files so that all may run in parallel.
  for (let i = 1; i <= runs * Object.keys(NX_STAGES_VARIANTS).length; i++) {
    run(process.execPath, [nxBin(root), 'g', 'nx-stages:stage', String(i), `--name=Benchmark stage ${i}`, `--files=packages/${PROJECTS[0]}/src/part-${i}/**`], root);
  }
  run('git', ['add', '-A'], root);
  run('git', ['commit', '-q', '--no-verify', '-m', 'benchmark workspace'], root);
  // A first run-many in the main checkout: one-time work (npx, jest's and swc's caches) is not charged to either variant.
  checkTests(run('npx', RUN_MANY, root).stdout, root);
}

const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

/** run-many must have run the worktree's own tests, or the run did not do the work being timed. */
function checkTests(output, worktree) {
  for (const name of PROJECTS) {
    const line = `tests passed: ${join(worktree, 'packages', name, 'src', 'lib', `${name}.spec.ts`)}`;
    if (!output.includes(line)) throw new Error(`run-many in ${worktree} did not run ${name}'s tests:\n${output}`);
  }
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

/** Bytes the folder takes on disk, symlinks not followed (du's default: -P). */
function diskBytes(path) {
  return Number(run('du', ['-s', '-B1', path], temp).stdout.split(/\s/)[0]);
}

/** The environment of a variant's setup command: Nx's daemon on for the variant that has it. */
const daemonEnv = () => ({ ...baseEnv(), NX_DAEMON: 'true', CI: 'false' });

/**
 * nx-stages' variants differ only in how the worktree is made (the default `dependencies: link`
 * in each); stage ids keep them apart: variant k of run i uses stage (k - 1) * runs + i.
 */
const NX_STAGES_VARIANTS = {
  bin: { label: '`npx nx-stages worktree <id>`', stageOffset: 0, command: (id) => ['npx', ['nx-stages', 'worktree', id], baseEnv()] },
  daemon: { label: '`npx nx g nx-stages:worktree <id>`, Nx daemon on', stageOffset: 1, command: (id) => ['npx', ['nx', 'g', 'nx-stages:worktree', id], daemonEnv()] },
  nxg: { label: '`npx nx g nx-stages:worktree <id>`, no daemon', stageOffset: 2, command: (id) => ['npx', ['nx', 'g', 'nx-stages:worktree', id], baseEnv()] },
};
const VARIANTS = [...Object.keys(NX_STAGES_VARIANTS), 'plain'];

function nxStagesRun(variant, i) {
  const { stageOffset, command } = NX_STAGES_VARIANTS[variant];
  const id = String(stageOffset * runs + i);
  const worktree = `${root}-stage-${id}`;
  const [program, programArgs, env] = command(id);
  const start = process.hrtime.bigint();
  runCaptured(program, programArgs, { cwd: root, env });
  const setup = seconds(start);
  checkTests(run('npx', RUN_MANY, worktree).stdout, worktree);
  const total = seconds(start);
  const disk = diskBytes(worktree);
  // git removes the mirrored node_modules as the links it is; their targets are the main checkout's.
  run('git', ['worktree', 'remove', '--force', worktree], root);
  run('git', ['branch', '-D', `stage-${id}`], root);
  return { setup, total, disk };
}

function plainRun(i) {
  const worktree = `${root}-plain-${i}`;
  const branch = `bench-plain-${i}`;
  const start = process.hrtime.bigint();
  run('git', ['worktree', 'add', '-q', '-b', branch, worktree], root);
  run('npm', ['install'], worktree);
  const setup = seconds(start);
  checkTests(run('npx', RUN_MANY, worktree).stdout, worktree);
  const total = seconds(start);
  const disk = diskBytes(worktree);
  run('git', ['worktree', 'remove', '--force', worktree], root);
  run('git', ['branch', '-D', branch], root);
  return { setup, total, disk };
}

/** The floor of any nx command here without its daemon: `npx nx show projects` in the warm main checkout. */
function nxFloorRun() {
  const start = process.hrtime.bigint();
  run('npx', ['nx', 'show', 'projects'], root);
  return seconds(start);
}

const fmtS = (s) => s.toFixed(2);
function summarize(samples) {
  return {
    total: median(samples.map((s) => s.total)),
    setup: median(samples.map((s) => s.setup)),
    tests: median(samples.map((s) => s.total - s.setup)),
    disk: median(samples.map((s) => s.disk)),
    totals: samples.map((s) => s.total),
    setups: samples.map((s) => s.setup),
  };
}

function report(results, versions, mainModules, nxFloor, load) {
  const plain = results.plain;
  const row = (label, r) =>
    `| ${label} | **${fmtS(r.setup)}** | ${r === plain ? '1.0×' : `**${(plain.setup / r.setup).toFixed(1)}×**`} | ${fmtS(r.tests)} | ${fmtS(r.total)} | ${r === plain ? '1.0×' : `${(plain.total / r.total).toFixed(1)}×`} | ${r.setups.map(fmtS).join(', ')} | ${formatBytes(r.disk)} |`;
  const ratio = (variant) => plain.setup / results[variant].setup;
  const verdict = (variant) => `${ratio(variant).toFixed(1)}× (${ratio(variant) >= 5 ? 'met' : 'not met'})`;
  return [
    '# nx-stages: time until a new stage worktree can run the tests',
    '',
    `Setup: from the start of the command until the new worktree is ready for \`npx nx run-many -t test\`; then that run-many is run in it and must pass, running the worktree's own test files (total = setup + run-many). Median of ${runs} runs per variant, the variants alternating.`,
    `Workspace: what \`create-nx-workspace@23.2.1 --preset=ts\` and \`nx g @nx/js:lib --unitTestRunner=jest --linter=eslint\` make — npm workspaces, ${versions.packages} packages in node_modules ` +
      '(nx, @nx/js, @nx/jest, @nx/eslint, @nx/eslint-plugin, typescript, jest, @swc/jest, @swc/core, ts-jest, ts-node, @types/*, eslint, typescript-eslint, prettier, … and nx-stages), ' +
      'the plugins @nx/js/typescript, @nx/eslint/plugin, @nx/jest/plugin and nx-stages, two libraries (packages/alpha, packages/beta) whose `test` target is the one @nx/jest infers (jest, @swc/jest), ' +
      'package-lock.json committed, one stage per run.',
    '',
    "- **nx-stages**, default `dependencies: link` (node_modules mirrored from the main checkout with links, workspace packages pointing at the worktree's own folders), made three ways: the bin verb `npx nx-stages worktree <id>` (no Nx start-up); `npx nx g nx-stages:worktree <id>` with the Nx daemon on (a developer machine's default: the project graph comes from the daemon); the same with the daemon off (Nx's default on CI and in containers like this one: every `nx` command computes the project graph with its plugins).",
    "- **plain**: `git worktree add -b <branch> <path>`, then `npm install` in it (no audit, no fund, throwaway npm user config; npm's own cache in ~/.npm is warm, as on a developer's machine).",
    '',
    'Every run-many has `--skip-nx-cache` (Nx shares its task cache between worktrees: without it the tests would be replayed, not run) and the daemon off. Every run of any variant makes its worktree at a new path (as a new worktree is; jest keys its caches by path); the worktree and its branch are removed after each run. Disk: `du -s -B1` of the new worktree after its run (symlinks not followed; includes the `.nx/workspace-data` Nx writes).',
    '',
    `Machine: Node ${process.version}, ${cpus().length} cores, nx ${versions.nx}, jest ${versions.jest}, typescript ${versions.typescript}, nx-stages ${versions.plugin}, npm ${versions.npm}; ${new Date().toISOString().slice(0, 10)}. ` +
      `Load average (1 min) before / after the timed runs: ${load.before.toFixed(1)} / ${load.after.toFixed(1)} (this benchmark's own processes count too; other work sharing the ${cpus().length} cores adds noise to these numbers).`,
    '',
    '| variant | setup (s) | plain / variant, setup | run-many (s) | total (s) | plain / variant, total | setup of each run (s) | disk of the new worktree |',
    '|---|---:|---:|---:|---:|---:|---|---:|',
    ...Object.entries(NX_STAGES_VARIANTS).map(([variant, { label }]) => row(`nx-stages: ${label}`, results[variant])),
    row('plain: `git worktree add` + `npm install`', plain),
    '',
    `**Goal ≥ 5× faster to a worktree that can run the tests:** \`npx nx-stages worktree\` ${verdict('bin')}; \`nx g\` with the daemon ${verdict('daemon')}; \`nx g\` without it ${verdict('nxg')}. ` +
      `Disk: ${formatBytes(plain.disk)} vs ${formatBytes(results.bin.disk)} per worktree (the main checkout's node_modules: ${formatBytes(mainModules)}).`,
    '',
    `Without the daemon every \`nx\` command pays Nx's start-up and project graph first: \`npx nx show projects\` takes ${fmtS(nxFloor)} s in the warm main checkout, most of what \`nx g\` adds to the bin verb. ` +
      'Counting the first run-many too, no variant reaches 5×: every new checkout pays the same cold run-many (Nx computes its project graph there for the first time, then jest runs), a floor that setup cannot lower. ' +
      "The plain variant's `npm install` grows with the dependencies and with a cold npm cache; linking does not.",
    '',
  ].join('\n');
}

function main() {
  console.error(`nx-stages worktree benchmark: ${runs} runs per variant (temp folder ${temp})`);
  const tarball = packPlugin(temp, runCaptured, baseEnv());
  console.error('  creating the workspace (npm install of a create-nx-workspace TypeScript set of dev dependencies and the packed plugin)…');
  makeWorkspace(tarball);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const versions = {
    nx: versionOf('nx'),
    jest: versionOf('jest'),
    typescript: versionOf('typescript'),
    plugin: versionOf('nx-stages'),
    npm: run('npm', ['--version'], root).stdout.trim(),
    packages: Object.keys(lock.packages).filter((path) => path.includes('node_modules/')).length,
  };
  const samples = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
  const floor = [];
  // The daemon variant finds its daemon running with the project graph computed, as on a developer's machine.
  runCaptured('npx', ['nx', 'show', 'projects'], { cwd: root, env: daemonEnv() });
  const loadBefore = loadavg()[0];
  try {
    for (let i = 1; i <= runs; i++) {
      floor.push(nxFloorRun());
      // A different variant goes first in every run, so none always runs on the others' leftovers.
      const order = VARIANTS.map((_, k) => VARIANTS[(k + i - 1) % VARIANTS.length]);
      for (const variant of order) {
        const sample = variant === 'plain' ? plainRun(i) : nxStagesRun(variant, i);
        samples[variant].push(sample);
        console.error(`  run ${i} ${variant.padEnd(6)}: setup ${fmtS(sample.setup)} s, total ${fmtS(sample.total)} s, disk ${formatBytes(sample.disk)}`);
        // Removing a worktree must never take the main checkout's node_modules with it.
        if (!existsSync(join(root, 'node_modules', 'nx', 'package.json'))) throw new Error('the main checkout lost node_modules/nx');
      }
    }
  } finally {
    runCaptured('npx', ['nx', 'daemon', '--stop'], { cwd: root, env: daemonEnv() });
  }
  const results = Object.fromEntries(VARIANTS.map((variant) => [variant, summarize(samples[variant])]));
  const load = { before: loadBefore, after: loadavg()[0] };
  const text = report(results, versions, diskBytes(join(root, 'node_modules')), median(floor), load);
  writeResults(resultsFile, text);
}

await runBench(main);
