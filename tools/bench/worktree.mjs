#!/usr/bin/env node
// Benchmark: how long until a new stage worktree can run the workspace's tests?
//
//   node tools/bench/worktree.mjs [--runs=5] [--keep]
//
// In a temp folder of its own (worktrees are created beside the workspace) it builds a real
// Nx 24 workspace: nx@24.0.6, @nx/devkit@24.0.0 and the packed plugin installed with npm
// (package-lock.json committed), two small projects libs/alpha and libs/beta whose `test`
// target runs `node test.js` (nx:run-commands, not cached), nx-stages init and one stage.
// Then it alternates, --runs times each:
//   nx-stages  `npx nx g nx-stages:worktree 1` (default: node_modules linked from the main
//              checkout), then `npx nx run-many -t test` in the new worktree
//   plain      `git worktree add -b <branch> <path>`, `npm install` in it (no audit, no fund,
//              throwaway npm user config, npm's usual cache), then `npx nx run-many -t test`
// and times each from its start until run-many has succeeded (and ran the worktree's own test
// files). After each run it measures the new worktree's disk use (`du`, symlinks not followed)
// and removes that worktree and its branch (only what this script created). Prints the medians,
// the ratio plain / nx-stages, and writes tools/bench/results/worktree.md.
// The plugin must be built first (`npm run build`); this script only packs it.
import { existsSync, lstatSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes } from '../../packages/nx-stages/dist/core/status-report.js';
import { benchEnv, benchTemp, capturingRunner, DEVKIT_VERSION, median, NX_VERSION, packPlugin, parseArgs } from './support.mjs';

const STAGE_ID = '1';
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
    GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', NX_ISOLATE_PLUGINS: 'false',
    GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com',
  });
const runCaptured = capturingRunner(temp);
const run = (command, commandArgs, cwd) => runCaptured(command, commandArgs, { cwd, env: baseEnv() });

const write = (path, content) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};

/** A project Nx can run without installing anything: `nx run <name>:test` runs `node test.js`. */
function writeProject(name) {
  write(`libs/${name}/project.json`, `${JSON.stringify({
    name,
    root: `libs/${name}`,
    targets: { test: { executor: 'nx:run-commands', cache: false, options: { command: 'node test.js', cwd: `libs/${name}` } } },
  }, null, 2)}\n`);
  write(`libs/${name}/index.js`, `exports.value = '${name} v1';\n`);
  write(
    `libs/${name}/test.js`,
    "const assert = require('assert');\n" +
      "assert.match(require('./index.js').value, /^\\w+ v\\d+$/);\n" +
      'console.log(`tests passed: ${__filename}`);\n',
  );
}

function makeWorkspace(tarball) {
  mkdirSync(root);
  run('git', ['init', '-q', '-b', 'main'], root);
  write('package.json', `${JSON.stringify({ name: 'bench-workspace', version: '0.0.0', private: true }, null, 2)}\n`);
  write('nx.json', '{}\n');
  write('.gitignore', '.nx/\nnode_modules/\n');
  // The tarball sits beside the workspace, so `file:../<tarball>` also resolves from its sibling worktrees.
  run('npm', ['install', '-D', '--save-exact', `nx@${NX_VERSION}`, `@nx/devkit@${DEVKIT_VERSION}`, `../${basename(tarball)}`], root);
  writeProject('alpha');
  writeProject('beta');
  run(process.execPath, [nxBin(), 'g', 'nx-stages:init'], root);
  run(process.execPath, [nxBin(), 'g', 'nx-stages:stage', STAGE_ID, '--name=Benchmark stage', '--files=libs/alpha/**'], root);
  run('git', ['add', '-A'], root);
  run('git', ['commit', '-q', '--no-verify', '-m', 'benchmark workspace'], root);
  // A first run-many in the main checkout: Nx's own one-time work is not charged to either variant.
  checkTests(run('npx', ['nx', 'run-many', '-t', 'test', '--output-style=static'], root).stdout, root);
}

function nxBin() {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8'));
  return join(root, 'node_modules', 'nx', typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.nx);
}

/** run-many must have run the worktree's own tests, or the run did not do the work being timed. */
function checkTests(output, worktree) {
  for (const name of ['alpha', 'beta']) {
    const line = `tests passed: ${join(worktree, 'libs', name, 'test.js')}`;
    if (!output.includes(line)) throw new Error(`run-many in ${worktree} did not run ${name}'s tests:\n${output}`);
  }
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

/** Bytes the folder takes on disk, symlinks not followed (du's default: -P). */
function diskBytes(path) {
  return Number(run('du', ['-s', '-B1', path], temp).stdout.split(/\s/)[0]);
}

function nxStagesRun() {
  const worktree = `${root}-stage-${STAGE_ID}`;
  const start = process.hrtime.bigint();
  run('npx', ['nx', 'g', 'nx-stages:worktree', STAGE_ID], root);
  const setup = seconds(start);
  checkTests(run('npx', ['nx', 'run-many', '-t', 'test', '--output-style=static'], worktree).stdout, worktree);
  const total = seconds(start);
  const disk = diskBytes(worktree);
  // The linked node_modules goes first, as a link: its target is the main checkout's.
  const link = join(worktree, 'node_modules');
  if (existsSync(link) && lstatSync(link).isSymbolicLink()) unlinkSync(link);
  run('git', ['worktree', 'remove', '--force', worktree], root);
  run('git', ['branch', '-D', `stage-${STAGE_ID}`], root);
  return { setup, total, disk };
}

function plainRun(i) {
  const worktree = `${root}-plain-${i}`;
  const branch = `bench-plain-${i}`;
  const start = process.hrtime.bigint();
  run('git', ['worktree', 'add', '-q', '-b', branch, worktree], root);
  run('npm', ['install'], worktree);
  const setup = seconds(start);
  checkTests(run('npx', ['nx', 'run-many', '-t', 'test', '--output-style=static'], worktree).stdout, worktree);
  const total = seconds(start);
  const disk = diskBytes(worktree);
  run('git', ['worktree', 'remove', '--force', worktree], root);
  run('git', ['branch', '-D', branch], root);
  return { setup, total, disk };
}

/** The floor of any nx command here: `npx nx show projects` in the warm main checkout. */
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
  };
}

function report(results, versions, mainModules, nxFloor) {
  const ratio = results.plain.total / results.nxStages.total;
  const row = (label, r) =>
    `| ${label} | ${fmtS(r.setup)} | ${fmtS(r.tests)} | **${fmtS(r.total)}** | ${r.totals.map(fmtS).join(', ')} | ${formatBytes(r.disk)} |`;
  return [
    '# nx-stages: time to a stage worktree that runs the tests',
    '',
    `From the start of the command until \`npx nx run-many -t test\` has succeeded in the new worktree; median of ${runs} runs per variant, the variants alternating.`,
    'Workspace: git repository with a committed package-lock.json, nx, @nx/devkit and nx-stages installed with npm, two projects (libs/alpha, libs/beta) whose `test` target runs `node test.js` (not cached), one stage.',
    '',
    '- **nx-stages**: `npx nx g nx-stages:worktree 1` (default `dependencies: link`: the main checkout\'s node_modules is linked), then `npx nx run-many -t test` in the worktree.',
    '- **plain**: `git worktree add -b <branch> <path>`, then `npm install` in it (no audit, no fund, throwaway npm user config; npm\'s own cache in ~/.npm is warm, as on a developer\'s machine), then `npx nx run-many -t test`.',
    '',
    'Each run checks that run-many ran the worktree\'s own test files; the worktree and its branch are removed after each run. Disk: `du -s -B1` of the new worktree after its run (symlinks not followed; includes the `.nx/workspace-data` Nx writes).',
    '',
    `Machine: Node ${process.version}, ${cpus().length} cores, nx ${versions.nx}, @nx/devkit ${versions.devkit}, nx-stages ${versions.plugin}, npm ${versions.npm}; ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| variant | setup (s) | run-many (s) | total (s) | totals of each run (s) | disk of the new worktree |',
    '|---|---:|---:|---:|---|---:|',
    row('nx-stages (link)', results.nxStages),
    row('plain (git worktree add + npm install)', results.plain),
    '',
    `**Ratio plain / nx-stages: ${ratio.toFixed(1)}×** (goal ≥ 5×). Disk: ${formatBytes(results.plain.disk)} vs ${formatBytes(results.nxStages.disk)} per worktree (the main checkout's node_modules: ${formatBytes(mainModules)}).`,
    '',
    `For scale: \`npx nx show projects\` in the warm main checkout takes ${fmtS(nxFloor)} s (median): the start-up every nx command pays, so also the floor of \`nx g nx-stages:worktree\`. ` +
      'The plain variant\'s cost is `npm install`, which grows with the dependencies (here only nx, @nx/devkit and nx-stages) and with a cold npm cache; linking does not.',
    '',
  ].join('\n');
}

function main() {
  console.error(`nx-stages worktree benchmark: ${runs} runs per variant (temp folder ${temp})`);
  const tarball = packPlugin(temp, runCaptured, baseEnv());
  console.error('  creating the workspace (npm install of nx, @nx/devkit and the packed plugin)…');
  makeWorkspace(tarball);
  const versions = {
    nx: JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8')).version,
    devkit: JSON.parse(readFileSync(join(root, 'node_modules', '@nx', 'devkit', 'package.json'), 'utf8')).version,
    plugin: JSON.parse(readFileSync(join(root, 'node_modules', 'nx-stages', 'package.json'), 'utf8')).version,
    npm: run('npm', ['--version'], root).stdout.trim(),
  };
  const samples = { nxStages: [], plain: [] };
  const floor = [];
  for (let i = 1; i <= runs; i++) {
    floor.push(nxFloorRun());
    const order = i % 2 === 1 ? ['nxStages', 'plain'] : ['plain', 'nxStages'];
    for (const which of order) {
      const sample = which === 'nxStages' ? nxStagesRun() : plainRun(i);
      samples[which].push(sample);
      console.error(`  run ${i} ${which.padEnd(8)}: setup ${fmtS(sample.setup)} s, total ${fmtS(sample.total)} s, disk ${formatBytes(sample.disk)}`);
      // The link must never have taken the main checkout's node_modules with it.
      if (!existsSync(join(root, 'node_modules', 'nx', 'package.json'))) throw new Error('the main checkout lost node_modules/nx');
    }
  }
  const results = { nxStages: summarize(samples.nxStages), plain: summarize(samples.plain) };
  const text = report(results, versions, diskBytes(join(root, 'node_modules')), median(floor));
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, text);
  console.log(text);
  console.error(`written to ${resultsFile}`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
