#!/usr/bin/env node
// Benchmark: how long does the `conflicts` forecast take for many stage branches?
//
//   node tools/bench/conflicts.mjs [--branches=10,50] [--runs=5] [--files=400] [--keep]
//
// For each size N it builds, in a temp folder of its own, a git repository (no Nx install needed)
// with --files tracked files under src/lib-*/ and a plan of N stages (stages/stages.yaml +
// stages/<i>-stage/stage.yaml; every fifth stage depends on the one before). Each stage branch
// has two commits: its own new files under src/stage-<i>/ and an edit of one file it owns. On top,
// deliberate overlaps: stages 2 and 3 change distant lines of src/shared/routes.ts (same file,
// merges cleanly), stage 4 also edits src/lib-0/file-0.ts (ownership drift), and the last two
// stages of the first parallel group (N-2 and N-1 when N is a multiple of 5) change the same line
// of src/shared/theme.ts: the one conflict, late in the merge order, so the dependency-order
// simulation runs almost to the end. The base then moves on by one commit.
// It then times, alternating, --runs times each:
//   nx-stages  conflictsCommand from the built packages/nx-stages/dist (in this process, plan
//              loaded from disk each run): every pair of branches, each branch against the base,
//              the dependency-order simulation, drift — with up to 4 git processes at once
//   plain      the same number of `git merge-tree --write-tree <a> <b>` calls as the forecast
//              checks pairs (N·(N−1)/2 + N), run one after another from this script
// and checks each forecast found exactly the planted conflict and drift. Prints the medians,
// pairs per second, the ratio plain / nx-stages, and writes tools/bench/results/conflicts.md.
// The plugin must be built first (`npm run build`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchTemp, median, parseArgs, PLUGIN_DIR, runBench, writeResults } from './support.mjs';

const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'conflicts.md');
const { args, usage } = parseArgs('node tools/bench/conflicts.mjs [--branches=10,50] [--runs=5] [--files=400] [--keep]');
const sizes = String(args.branches ?? '10,50')
  .split(',')
  .map(Number);
const runs = Number(args.runs ?? 5);
const fileCount = Number(args.files ?? 400);
if (sizes.some((n) => !Number.isInteger(n) || n < 7) || !Number.isInteger(runs) || runs < 1 || !Number.isInteger(fileCount) || fileCount < 1) {
  usage('--branches takes whole numbers ≥ 7 (the planted overlaps need stages 1–6); --runs and --files positive whole numbers');
}
sizes.sort((a, b) => a - b);

const dist = join(PLUGIN_DIR, 'dist');
if (!existsSync(join(dist, 'commands', 'conflicts.js'))) {
  console.error(`The plugin is not built (${join(dist, 'commands', 'conflicts.js')} is missing): run \`npm run build\` first.`);
  process.exit(1);
}
const { conflictsCommand } = await import(pathToFileURL(join(dist, 'commands', 'conflicts.js')).href);
const { loadPlan } = await import(pathToFileURL(join(dist, 'core', 'load-plan.js')).href);
const { fsPlanSource } = await import(pathToFileURL(join(dist, 'io', 'fs-plan-source.js')).href);

const temp = benchTemp('nx-stages-bench-conflicts-', { keep: Boolean(args.keep) });
// The forecast runs in this process, and simple-git passes only a few GIT_* variables on: isolate
// git from the user's configuration through HOME instead (and no system config).
const home = join(temp, 'home');
mkdirSync(home);
Object.assign(process.env, {
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
});
const gitEnv = { ...process.env, LC_ALL: 'C' };
const git = (cwd, gitArgs) => execFileSync('git', gitArgs, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

function write(root, path, text) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const lines = (prefix, count) => Array.from({ length: count }, (_, i) => `export const ${prefix}${i} = ${i};\n`).join('');
const THEME = lines('theme', 40);
const ROUTES = lines('route', 40);
const replaceLine = (text, index, replacement) =>
  text
    .split('\n')
    .map((line, i) => (i === index ? replacement : line))
    .join('\n');

/** Commits `files` on `branch` (created from main when `create`), then returns to main. */
function commitOn(root, branch, files, message, create) {
  git(root, ['checkout', '-q', ...(create ? ['-b', branch, 'main'] : [branch])]);
  for (const [path, text] of Object.entries(files)) write(root, path, text);
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '--no-verify', '-m', message]);
}

/** The two conflicting stages: the two highest ids not depending on another stage (group A, merged last in it). */
function conflictPair(n) {
  const independent = Array.from({ length: n }, (_, i) => i + 1).filter((i) => i % 5 !== 0 && i > 4);
  return independent.slice(-2);
}

function makeRepo(n) {
  const [c1, c2] = conflictPair(n);
  const root = join(temp, `repo-${n}`);
  mkdirSync(root);
  git(root, ['init', '-q', '-b', 'main']);
  for (let i = 0; i < fileCount; i++) write(root, `src/lib-${i % 20}/file-${i}.ts`, lines(`v${i}_`, 20));
  write(root, 'src/shared/theme.ts', THEME);
  write(root, 'src/shared/routes.ts', ROUTES);
  write(root, 'stages/stages.yaml', '# conflicts benchmark plan: defaults everywhere\n');
  for (let i = 1; i <= n; i++) {
    const owns = [`src/stage-${i}/**`, ...(i === c1 || i === c2 ? ['src/shared/theme.ts'] : []), ...(i === 2 || i === 3 ? ['src/shared/routes.ts'] : [])];
    write(
      root,
      `stages/${i}-stage/stage.yaml`,
      [`id: "${i}"`, `name: Stage ${i}`, 'duration: 1w', `dependsOn: [${i % 5 === 0 ? `"${i - 1}"` : ''}]`, 'files:', ...owns.map((pattern) => `  - ${pattern}`), ''].join('\n'),
    );
  }
  git(root, ['add', '-A']);
  git(root, ['commit', '-q', '-m', 'benchmark base']);
  for (let i = 1; i <= n; i++) {
    commitOn(root, `stage-${i}`, { [`src/stage-${i}/index.ts`]: lines(`s${i}_`, 30), [`src/stage-${i}/util.ts`]: lines(`u${i}_`, 10) }, `stage ${i}: new files`, true);
    const edits = { [`src/stage-${i}/index.ts`]: replaceLine(lines(`s${i}_`, 30), 5, `export const s${i}_5 = 'edited';`) };
    if (i === c1 || i === c2) edits['src/shared/theme.ts'] = replaceLine(THEME, 10, `export const theme10 = 'by stage ${i}';`);
    if (i === 2) edits['src/shared/routes.ts'] = replaceLine(ROUTES, 3, "export const route3 = 'by stage 2';");
    if (i === 3) edits['src/shared/routes.ts'] = replaceLine(ROUTES, 30, "export const route30 = 'by stage 3';");
    if (i === 4) edits['src/lib-0/file-0.ts'] = replaceLine(lines('v0_', 20), 1, "export const v0_1 = 'drift';");
    commitOn(root, `stage-${i}`, edits, `stage ${i}: edits`, false);
  }
  git(root, ['checkout', '-q', 'main']);
  write(root, 'src/lib-1/file-1.ts', replaceLine(lines('v1_', 20), 0, "export const v1_0 = 'main moved on';"));
  git(root, ['commit', '-q', '-am', 'main moves on']);
  return root;
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

async function forecastRun(root, n) {
  const start = process.hrtime.bigint();
  const result = await conflictsCommand(root, loadPlan(fsPlanSource(root), 'stages'));
  const time = seconds(start);
  // The --json document is the outcome's data.
  const report = result.data;
  // The forecast must have done the work being timed, and found exactly what was planted.
  const pairs = report.checked.stagePairs + report.checked.againstBase;
  const expected = { stagePairs: (n * (n - 1)) / 2, againstBase: n };
  if (report.checked.stagePairs !== expected.stagePairs || report.checked.againstBase !== expected.againstBase)
    throw new Error(`forecast checked ${JSON.stringify(report.checked)}, expected ${JSON.stringify(expected)}`);
  const [c1, c2] = conflictPair(n).map(String);
  if (JSON.stringify(report.conflicts) !== JSON.stringify([{ stages: [c1, c2], files: ['src/shared/theme.ts'] }]))
    throw new Error(`unexpected conflicts: ${JSON.stringify(report.conflicts)}`);
  if (report.baseConflicts.length !== 0 || report.simulation.firstConflict?.stage !== c2)
    throw new Error(`unexpected base conflicts or simulation: ${JSON.stringify([report.baseConflicts, report.simulation.firstConflict])}`);
  if (JSON.stringify(report.drift) !== JSON.stringify([{ stage: '4', files: ['src/lib-0/file-0.ts'] }])) throw new Error(`unexpected drift: ${JSON.stringify(report.drift)}`);
  if (result.ok) throw new Error('the forecast passed despite the planted conflict');
  return { time, pairs, stopsAt: `${report.simulation.firstConflict.step} of ${report.simulation.order.length}` };
}

/** The same number of merges, plain: one `git merge-tree --write-tree` after the other. */
function plainRun(root, n) {
  const branches = ['main', ...Array.from({ length: n }, (_, i) => `stage-${i + 1}`)];
  const start = process.hrtime.bigint();
  let merges = 0;
  for (let i = 0; i < branches.length; i++) {
    for (let j = i + 1; j < branches.length; j++) {
      try {
        git(root, ['merge-tree', '--write-tree', branches[i], branches[j]]);
      } catch (error) {
        if (error.status !== 1) throw error; // 1 = conflicts, an answer like any other
      }
      merges++;
    }
  }
  return { time: seconds(start), pairs: merges };
}

const fmtS = (s) => s.toFixed(2);

async function main() {
  const loadBefore = loadavg()[0];
  const gitVersion = git(temp, ['--version']).trim();
  console.error(`nx-stages conflicts benchmark: ${sizes.join(', ')} branches, ${runs} runs each (temp folder ${temp})`);
  const rows = [];
  for (const n of sizes) {
    console.error(`  building a repository with ${fileCount} files and ${n} stage branches…`);
    const root = makeRepo(n);
    await forecastRun(root, n); // warm-up: the file system cache, not the plugin, should not be charged
    const samples = { nxStages: [], plain: [] };
    for (let i = 1; i <= runs; i++) {
      const order = i % 2 === 1 ? ['nxStages', 'plain'] : ['plain', 'nxStages'];
      for (const which of order) {
        const sample = which === 'nxStages' ? await forecastRun(root, n) : plainRun(root, n);
        samples[which].push(sample);
        console.error(`  ${n} branches, run ${i} ${which.padEnd(8)}: ${fmtS(sample.time)} s for ${sample.pairs} pairs`);
      }
    }
    const nxStages = median(samples.nxStages.map((s) => s.time));
    const plain = median(samples.plain.map((s) => s.time));
    rows.push({
      n,
      pairs: samples.nxStages[0].pairs,
      stopsAt: samples.nxStages[0].stopsAt,
      nxStages,
      plain,
      nxTimes: samples.nxStages.map((s) => s.time),
      plainTimes: samples.plain.map((s) => s.time),
    });
  }
  const text = report(rows, gitVersion, [loadBefore, loadavg()[0]]);
  writeResults(resultsFile, text);
}

function report(rows, gitVersion, load) {
  return [
    '# nx-stages: conflict forecast for many stage branches',
    '',
    `Time of one \`conflicts\` forecast (\`conflictsCommand\` from the built plugin, plan read from disk, \`--json\`), median of ${runs} runs per size after one warm-up, alternating with the plain baseline.`,
    `Repository: ${fileCount} tracked files under src/lib-*/, a plan of N stages (every fifth depends on the one before), each stage branch two commits (new files under src/stage-<i>/, then an edit); ` +
      'stages 2 and 3 change distant lines of src/shared/routes.ts (clean), stage 4 a file it does not own (drift), and the last two stages of the first parallel group the same line of src/shared/theme.ts (the one conflict, late in the merge order, so the simulation runs most of its steps; column "stops at"); the base moved on by one commit. ' +
      'Every run checks that the forecast found exactly that conflict and that drift, and that the dependency-order simulation stops at the second of the two.',
    '',
    "- **nx-stages**: the whole forecast — the stage branches and their copies from two ref listings; every branch against the base in one `git merge-tree --stdin` batch (its conflicts with the base, and whether merging it would change nothing: only such a branch gets the exact merged test); the files each changed in one `git diff-tree --stdin`; every pair of stage branches (`merge-tree --stdin`, 3 batches side by side); the dependency-order simulation (one merge-tree and one commit-tree per step, started first, beside the batches). About 90 git processes for 50 branches, 80 of them the simulation's chain (before: about 590, 10 per branch).",
    '- **plain**: only the same number of `git merge-tree --write-tree <a> <b>` calls, one after another from the benchmark script (no per-stage checks, no simulation, no parsing).',
    '',
    `Machine: Node ${process.version}, ${cpus().length} cores, ${gitVersion}; ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${load.map((l) => l.toFixed(1)).join(' at the start, ')} at the end (other work on the machine slows both variants).`,
    '',
    '| branches | pairs checked | simulation stops at | nx-stages (s) | pairs / s | plain merge-tree calls (s) | plain pairs / s | plain / nx-stages | nx-stages runs (s) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.n} | ${r.pairs} | step ${r.stopsAt} | **${fmtS(r.nxStages)}** | **${Math.round(r.pairs / r.nxStages)}** | ${fmtS(r.plain)} | ${Math.round(r.pairs / r.plain)} | ${(r.plain / r.nxStages).toFixed(2)}× | ${r.nxTimes.map(fmtS).join(', ')} |`,
    ),
    '',
    'Pairs checked = N·(N−1)/2 stage pairs + N branches against the base. A ratio above 1× means the forecast, with all its extra work, still finishes before the plain sequential merge-tree calls alone.',
    '',
  ].join('\n');
}

await runBench(main);
