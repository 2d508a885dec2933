#!/usr/bin/env node
// Benchmark: what do nx-stages' gates cost over bare Nx, and what do reuse and run-many save?
//
//   node tools/bench/gates.mjs [--runs=5] [--keep]
//
// In a temp folder of its own (stage worktrees are created beside the workspace) it builds a
// stock Nx TypeScript workspace (tools/bench/stock-workspace.mjs: what `create-nx-workspace@23.2.1
// --preset=ts` and `nx g @nx/js:lib packages/<name> --bundler=tsc --unitTestRunner=jest
// --linter=eslint` write, npm install; no jest-junit, no outputs added) with six libraries, each
// with the lint, build, typecheck and test targets Nx infers; beta imports alpha, delta imports
// gamma and alpha, zeta imports epsilon (package.json dependency, `nx sync` writes the project
// references). Then `nx g nx-stages:init`, the default profile without `audit` (npm's advisory
// service cannot be reached from these machines, and the bare Nx command audits nothing), three
// independent stages owning alpha+beta, gamma+delta, epsilon+zeta, their worktrees
// (`npx nx-stages worktree <id>`, node_modules linked) and a commit of work in each. One unmeasured
// warm-up (the bare command in stage 1's worktree, then run-many of all three stages' gates).
// Every measured command is COLD for Nx's cache: right before it, each owned library's source
// file gets a new `// revision N` line, committed, so every task of the affected projects has a
// new hash (their unaffected dependencies' builds still come from the cache, as in real work).
// Then, --runs times, each pair alternating which goes first:
//   1. in stage 1's worktree: `npx nx affected -t lint,build,typecheck,test --base=<merge-base>
//      --outputStyle=static` (bare Nx, typed by hand) vs `npx nx run stage-1:gates --force`,
//      and `npx nx-stages gates 1 --force` (the bin: the same gates without the outer nx run),
//   2. right after each of those, with nothing changed, the same command without --force (reused),
//   3. from the main checkout: `npx nx run-many -t gates -p stage-1,stage-2,stage-3 --force
//      --parallel=3` vs `npx nx run stage-<id>:gates --force` for the three, one after another,
// plus `npx nx show projects` in stage 1's worktree (Nx's start-up alone: the floor of any nx command).
// Every measured run is checked: exit 0; bare Nx ran every lint/build/typecheck/test task of the
// affected projects, none from the cache; each gates result (`.git/nx-stages/gates/stage-<id>/
// gates.json`) written by that command for its worktree's HEAD, every gate passed (proof pending),
// the expected tests counted and passed, no task of an affected project from the cache; a reuse
// says "reused:" and leaves the result as it was. A failed check stops the benchmark.
// Each cold `nx run stage-1:gates` is split into phases from its logs (`logs/nx-*.log`: the exit
// line's duration and the file's mtime give each inner Nx's start and end; `*.tasks.json` its
// tasks' start and end times, from Nx): outer Nx start-up, each inner Nx's start-up / tasks /
// wrap-up, nx-stages' own work in between, outer Nx wrap-up.
// HOME is a folder of the benchmark's own in /var/tmp (not the user's: Nx keeps its task cache,
// shared by every checkout of a repository, in ~/.nx/<workspace hash>/cache; not under /tmp, where
// Nx refuses to share it); npm uses the user's warm npm cache for the installs (setup, not
// measured), with a throwaway user config. Nx runs with its defaults, the daemon off (as on CI and
// in containers like these machines). Prints the medians and ratios with each goal's verdict and
// writes tools/bench/results/gates.md. The plugin must be built first (`npm run build`).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeStockTsWorkspace } from './stock-workspace.mjs';
import { benchEnv, benchTemp, capturingRunner, median, nxBin, packPlugin, parseArgs, runBench, writeResults } from './support.mjs';

const SCOPE = 'bench';
const LIBS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
/** library → the libraries it imports. */
const IMPORTS = { beta: ['alpha'], delta: ['gamma', 'alpha'], zeta: ['epsilon'] };
const STAGES = [
  { id: '1', libs: ['alpha', 'beta'] },
  { id: '2', libs: ['gamma', 'delta'] },
  { id: '3', libs: ['epsilon', 'zeta'] },
];
const TARGETS = ['lint', 'build', 'typecheck', 'test'];
/** The default profile without audit (no advisory service here; bare Nx audits nothing either). */
const PROFILE = ['templates', 'lint', 'build', 'typecheck', 'test', 'coverage', 'proof'];
/** The stage of the single-stage measurements (1 and 2): its changes also affect another stage's library (delta). */
const SINGLE = STAGES[0];
const RUN_MANY = ['nx', 'run-many', '-t', 'gates', '-p', STAGES.map((stage) => `stage-${stage.id}`).join(','), '--force', `--parallel=${STAGES.length}`];

const GOALS = { bare: 1.3, reuse: 10, parallel: 1.6 };

const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'gates.md');
const { args, usage } = parseArgs('node tools/bench/gates.mjs [--runs=5] [--keep]');
const runs = Number(args.runs ?? 5);
if (!Number.isInteger(runs) || runs < 1) usage('--runs takes a positive whole number');

const temp = benchTemp('nx-stages-bench-gates-', { keep: Boolean(args.keep) });
// HOME of every command: Nx's shared task cache goes to ~/.nx. Not the user's, and not under
// /tmp (there Nx refuses to share the cache between checkouts, which a developer's machine does).
const home = benchTemp('nx-stages-bench-gates-home-', { keep: Boolean(args.keep), parent: existsSync('/var/tmp') ? '/var/tmp' : join(homedir(), '.cache') });
const root = join(temp, 'app');
const gitconfig = join(temp, '.gitconfig');
writeFileSync(gitconfig, '');
const env = benchEnv(temp, {
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  // The user's npm cache, as the other benchmarks use it: the installs are setup, not measured.
  npm_config_cache: join(homedir(), '.npm'),
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
});
const runCaptured = capturingRunner(temp);
const run = (command, commandArgs, cwd) => runCaptured(command, commandArgs, { cwd, env, timeout: 1_200_000 });
const nx = (nxArgs, cwd = root) => run(process.execPath, [nxBin(root), ...nxArgs], cwd);
const worktreeOf = (id) => `${root}-stage-${id}`;
const project = (lib) => `@${SCOPE}/${lib}`;
const gatesDir = (id) => join(root, '.git', 'nx-stages', 'gates', `stage-${id}`);

/** Owned libraries and every library that imports one of them, directly or not: what `nx affected` runs. */
function affectedOf(stage) {
  const affected = new Set(stage.libs);
  for (let grew = true; grew;) {
    grew = false;
    for (const [lib, deps] of Object.entries(IMPORTS)) {
      if (affected.has(lib) || !deps.some((dep) => affected.has(dep))) continue;
      affected.add(lib);
      grew = true;
    }
  }
  return LIBS.filter((lib) => affected.has(lib));
}
/** Each library's spec has one test, and one more when it imports others. */
const expectedTests = (stage) => affectedOf(stage).reduce((sum, lib) => sum + (IMPORTS[lib] ? 2 : 1), 0);

let revision = 0;
/**
 * A new revision line in each owned library's source file, committed in the stage's worktree: new
 * file hashes, so new task hashes. A comment: an exported constant no test reads would lower line
 * coverage (@swc/jest compiles each export to a getter that counts as a function and a line).
 */
function bump(stage) {
  revision += 1;
  const worktree = worktreeOf(stage.id);
  for (const lib of stage.libs) {
    const file = join(worktree, 'packages', lib, 'src', 'lib', `${lib}.ts`);
    const text = readFileSync(file, 'utf8').replace(/\n\/\/ revision \d+\n$/, '\n');
    writeFileSync(file, `${text}\n// revision ${revision}\n`);
  }
  run('git', ['commit', '-q', '--no-verify', '-am', `stage ${stage.id}: revision ${revision}`], worktree);
}

function makeWorkspace(tarball) {
  mkdirSync(root);
  run('git', ['init', '-q', '-b', 'main'], root);
  writeStockTsWorkspace(root, { tarball, projects: LIBS, scope: SCOPE, imports: IMPORTS, dependencyChecks: true });
  run('npm', ['install'], root);
  // What Nx tells a developer to run after adding the imports: its sync generator writes the TypeScript project references.
  nx(['sync']);
  run('git', ['add', '-A'], root);
  run('git', ['commit', '-q', '--no-verify', '-m', 'stock Nx TypeScript workspace, six libraries'], root);
  nx(['g', 'nx-stages:init']);
  const stagesYaml = join(root, 'stages', 'stages.yaml');
  writeFileSync(stagesYaml, `${readFileSync(stagesYaml, 'utf8')}\nprofiles:\n  default: [${PROFILE.join(', ')}]\n`);
  for (const { id, libs } of STAGES) nx(['g', 'nx-stages:stage', id, `--name=Benchmark ${libs.join(' and ')}`, `--files=${libs.map((lib) => `packages/${lib}/**`).join(',')}`]);
  run('git', ['add', '-A'], root);
  run('git', ['commit', '-q', '--no-verify', '-m', 'nx-stages: three stages'], root);
  for (const stage of STAGES) {
    run('npx', ['nx-stages', 'worktree', stage.id], root);
    bump(stage);
  }
}

const versionOf = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

/** CPU time of the whole machine so far (all processes, ours and anyone else's), from /proc/stat; undefined where there is none. */
function machineTicks() {
  if (!existsSync('/proc/stat')) return undefined;
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  return { idle, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
}

/** GNU time, when there is one: the CPU seconds (user + sys) of a command and every process it waited for. */
const GNU_TIME = existsSync('/usr/bin/time') && /GNU/.test(Object.values(runCaptured('/usr/bin/time', ['--version'], { cwd: temp, env })).join('')) ? '/usr/bin/time' : undefined;
let timings = 0;

/**
 * Runs one command, timed: wall seconds, the CPU seconds of its process tree (GNU time) and how
 * busy the machine's cores were meanwhile (/proc/stat: all processes, anyone's). `at` is its
 * start on the wall clock (the gates results' timestamps are compared to it).
 */
function timed(command, commandArgs, cwd) {
  const cpuFile = join(temp, `cpu-${++timings}.txt`);
  const [program, programArgs] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, command, ...commandArgs]] : [command, commandArgs];
  const ticks = machineTicks();
  const at = Date.now();
  const start = process.hrtime.bigint();
  const { stdout, stderr } = run(program, programArgs, cwd);
  const wall = seconds(start);
  const end = Date.now();
  const after = machineTicks();
  const cpu = GNU_TIME
    ? readFileSync(cpuFile, 'utf8')
        .trim()
        .split('\n')
        .pop()
        .split(' ')
        .map(Number)
        .reduce((a, b) => a + b, 0)
    : NaN;
  const busy = ticks && after ? 1 - (after.idle - ticks.idle) / (after.total - ticks.total) : NaN;
  return { seconds: wall, cpu, busy, at, end, output: `${stdout}\n${stderr}` };
}

/** Nx's "Run duration: 1m 2.3s" line (the task phase of one Nx run), in seconds. */
function runDuration(output) {
  const match = /Run duration:\s+(?:(\d+)m\s*)?(?:([\d.]+)s|(\d+)ms)/.exec(output);
  if (!match) return NaN;
  return Number(match[1] ?? 0) * 60 + (match[2] !== undefined ? Number(match[2]) : Number(match[3]) / 1000);
}

/** Bare Nx must have run every task of the affected projects, none from the cache. */
function checkBare(output, stage) {
  const headers = new Map();
  for (const match of output.matchAll(/^> nx run (\S+):(\S+)(.*)$/gm)) headers.set(`${match[1]}:${match[2]}`, match[3]);
  for (const lib of affectedOf(stage)) {
    for (const target of TARGETS) {
      const rest = headers.get(`${project(lib)}:${target}`);
      if (rest === undefined) throw new Error(`bare nx affected did not run ${project(lib)}:${target}:\n${output}`);
      if (/cache|existing outputs/.test(rest)) throw new Error(`bare nx affected took ${project(lib)}:${target} from the cache in a cold run:\n${output}`);
    }
  }
  if (!/Successfully ran targets/.test(output)) throw new Error(`bare nx affected did not report success:\n${output}`);
}

const readResult = (id) => JSON.parse(readFileSync(join(gatesDir(id), 'gates.json'), 'utf8'));

/** A cold gates result: written by this command for the worktree's HEAD, every gate passed, tests counted, no affected task from the cache. */
function checkGates(stage, startedAt) {
  const result = readResult(stage.id);
  const fail = (what) => new Error(`stage ${stage.id}: ${what} (${join(gatesDir(stage.id), 'gates.json')})`);
  if (Date.parse(result.startedAt) < startedAt) throw fail(`the result is older than this run (started ${result.startedAt})`);
  const head = run('git', ['rev-parse', 'HEAD'], worktreeOf(stage.id)).stdout.trim();
  if (result.commit !== head) throw fail(`measured ${result.commit}, the worktree is at ${head}`);
  if (!result.clean) throw fail('measured uncommitted changes');
  for (const gate of result.gates) {
    if (gate.status !== (gate.name === 'proof' ? 'pending' : 'pass')) throw fail(`gate ${gate.name} is ${gate.status}: ${gate.detail}`);
  }
  if (result.tests?.total !== expectedTests(stage) || result.tests.passed !== result.tests.total)
    throw fail(`expected ${expectedTests(stage)} tests passed, measured ${JSON.stringify(result.tests)}`);
  for (const target of TARGETS) {
    const tasks = result.gates.find((gate) => gate.name === target)?.tasks ?? [];
    for (const lib of affectedOf(stage)) {
      const task = tasks.find((entry) => entry.project === project(lib) && entry.target === target);
      if (!task) throw fail(`the ${target} gate has no task of ${project(lib)}`);
      if (task.cached) throw fail(`${task.id} came from the Nx cache in a cold run`);
    }
  }
  return result;
}

/**
 * The phases of one cold `nx run stage-<id>:gates`, in seconds, from the command's start and end,
 * the result's startedAt/finishedAt and each inner Nx log (`[exit N after M ms]` and the file's
 * mtime: its start and end) with its tasks' times as Nx recorded them.
 */
function phasesOf(id, command) {
  const result = readResult(id);
  const logs = join(gatesDir(id), 'logs');
  const inner = readdirSync(logs)
    .filter((name) => /^nx-.*\.log$/.test(name))
    .map((name) => {
      const text = readFileSync(join(logs, name), 'utf8');
      const exit = /\[exit \S+ after (\d+) ms\]\s*$/.exec(text);
      if (!exit) throw new Error(`${join(logs, name)} has no exit line`);
      const end = statSync(join(logs, name)).mtimeMs;
      const start = end - Number(exit[1]);
      const tasksFile = join(logs, `${name}.tasks.json`);
      const tasks = existsSync(tasksFile) ? JSON.parse(readFileSync(tasksFile, 'utf8')).tasks : [];
      const firstTask = Math.min(...tasks.map((task) => task.startTime));
      const lastTask = Math.max(...tasks.map((task) => task.endTime));
      return { label: name.replace(/^nx-|\.log$/g, ''), start, end, firstTask, lastTask, tasks: tasks.length, cached: tasks.filter((task) => task.status !== 'success').length };
    })
    .sort((a, b) => a.start - b.start);
  const began = Date.parse(result.startedAt);
  const finished = Date.parse(result.finishedAt);
  const s = (ms) => ms / 1000;
  // The outer Nx's "Run duration" is its one task, the gates executor: it ended about when the result was written.
  const executorStart = finished - runDuration(command.output.slice(command.output.lastIndexOf('Run duration'))) * 1000;
  const phases = [
    ['`npx nx run`: npx, Nx start-up, project and task graph, until the gates task starts', s(executorStart - command.at)],
    ['gates executor until measuring starts (reads the plan, skip checks, finds the worktree, lock)', s(began - executorStart)],
  ];
  let last = began;
  for (const [index, run] of inner.entries()) {
    phases.push([
      index ? `nx-stages between inner Nx ${index} and ${index + 1} (judging, choosing the test runner's flags)` : 'nx-stages before inner Nx 1 (git, reuse key, lock files)',
      s(run.start - last),
    ]);
    if (tasksKnown(run)) {
      phases.push([`inner Nx ${index + 1} \`${run.label}\`: start-up until its first task`, s(run.firstTask - run.start)]);
      phases.push([`inner Nx ${index + 1} \`${run.label}\`: tasks (${run.tasks}, ${run.cached} from the cache)`, s(run.lastTask - run.firstTask)]);
      phases.push([`inner Nx ${index + 1} \`${run.label}\`: after its last task until it exits`, s(run.end - run.lastTask)]);
    } else {
      phases.push([`inner Nx ${index + 1} \`${run.label}\` (no tasks)`, s(run.end - run.start)]);
    }
    last = run.end;
  }
  phases.push(['nx-stages after the last inner Nx (judging, evidence, writing the result)', s(finished - last)]);
  phases.push(['outer Nx after the gates executor until `npx` exits', s(command.end - finished)]);
  return { phases, innerRuns: inner.length, labels: inner.map((run) => run.label) };
}
const tasksKnown = (run) => run.tasks > 0 && Number.isFinite(run.firstTask) && Number.isFinite(run.lastTask);

function bareRun(mergeBase) {
  bump(SINGLE);
  const command = timed('npx', ['nx', 'affected', '-t', TARGETS.join(','), `--base=${mergeBase}`, '--outputStyle=static'], worktreeOf(SINGLE.id));
  checkBare(command.output, SINGLE);
  return { total: command.seconds, tasks: runDuration(command.output), cpu: command.cpu, busy: command.busy };
}

/** A cold `nx run stage-1:gates --force` in its worktree, then at once the same without --force (reuse). */
function gatesRun() {
  bump(SINGLE);
  const cold = timed('npx', ['nx', 'run', `stage-${SINGLE.id}:gates`, '--force'], worktreeOf(SINGLE.id));
  const result = checkGates(SINGLE, cold.at);
  const phases = phasesOf(SINGLE.id, cold);
  const reuse = timed('npx', ['nx', 'run', `stage-${SINGLE.id}:gates`], worktreeOf(SINGLE.id));
  if (!/reused: nothing changed/.test(reuse.output)) throw new Error(`the unchanged re-run did not reuse the result:\n${reuse.output}`);
  if (readResult(SINGLE.id).finishedAt !== result.finishedAt) throw new Error('the unchanged re-run wrote a new result');
  return { total: cold.seconds, cpu: cold.cpu, busy: cold.busy, reuse: reuse.seconds, reuseCpu: reuse.cpu, ...phases };
}

/** The same through the bin (no outer Nx): a cold `npx nx-stages gates 1 --force`, then at once without --force (reuse). */
function binRun() {
  bump(SINGLE);
  const cold = timed('npx', ['nx-stages', 'gates', SINGLE.id, '--force'], worktreeOf(SINGLE.id));
  const result = checkGates(SINGLE, cold.at);
  const reuse = timed('npx', ['nx-stages', 'gates', SINGLE.id], worktreeOf(SINGLE.id));
  if (!/reused: nothing changed/.test(reuse.output)) throw new Error(`the unchanged re-run through the bin did not reuse the result:\n${reuse.output}`);
  if (readResult(SINGLE.id).finishedAt !== result.finishedAt) throw new Error('the unchanged re-run through the bin wrote a new result');
  return { total: cold.seconds, cpu: cold.cpu, busy: cold.busy, reuse: reuse.seconds, reuseCpu: reuse.cpu };
}

function parallelRun() {
  for (const stage of STAGES) bump(stage);
  const command = timed('npx', RUN_MANY, root);
  for (const stage of STAGES) checkGates(stage, command.at);
  return { total: command.seconds, cpu: command.cpu, busy: command.busy };
}

function sequentialRun() {
  for (const stage of STAGES) bump(stage);
  const commands = STAGES.map((stage) => {
    const command = timed('npx', ['nx', 'run', `stage-${stage.id}:gates`, '--force'], root);
    checkGates(stage, command.at);
    return command;
  });
  const sum = (key) => commands.reduce((total, command) => total + command[key], 0);
  // The machine's busy share over the three, weighted by their durations.
  return {
    total: sum('seconds'),
    each: commands.map((command) => command.seconds),
    cpu: sum('cpu'),
    busy: commands.reduce((total, command) => total + command.busy * command.seconds, 0) / sum('seconds'),
  };
}

const fmtS = (s) => s.toFixed(2);
const fmtX = (x) => `${x.toFixed(2)}×`;

function report(samples, versions, load, mergeBase) {
  const med = (list, key = 'total') => median(list.map((sample) => sample[key]));
  const bare = med(samples.bare);
  const bareTasks = med(samples.bare, 'tasks');
  const gates = med(samples.gates);
  const reuse = med(samples.gates, 'reuse');
  const bin = med(samples.bin);
  const binReuse = med(samples.bin, 'reuse');
  const parallel = med(samples.parallel);
  const sequential = med(samples.sequential);
  const floor = median(samples.floor);
  // Each ratio from the medians of the same run's alternating variants.
  const ratios = { bare: gates / bare, binBare: bin / bare, reuse: gates / reuse, binReuse: bin / binReuse, parallel: sequential / parallel };
  // The same ratios within each run (its two variants ran back to back), for the spread.
  const pairs = {
    bare: samples.gates.map((sample, i) => sample.total / samples.bare[i].total),
    binBare: samples.bin.map((sample, i) => sample.total / samples.bare[i].total),
    reuse: samples.gates.map((sample) => sample.total / sample.reuse),
    binReuse: samples.bin.map((sample) => sample.total / sample.reuse),
    parallel: samples.sequential.map((sample, i) => sample.total / samples.parallel[i].total),
  };
  const perRun = (key) => `per run: ${pairs[key].map(fmtX).join(', ')}`;
  const verdict = {
    bare: ratios.bare <= GOALS.bare ? 'met' : `**not met**: ${fmtX(ratios.bare - GOALS.bare)} over, ${fmtS(gates - GOALS.bare * bare)} s more than ${GOALS.bare}× bare`,
    binBare: ratios.binBare <= GOALS.bare ? 'met' : `**not met**: ${fmtX(ratios.binBare - GOALS.bare)} over, ${fmtS(bin - GOALS.bare * bare)} s more than ${GOALS.bare}× bare`,
    reuse:
      ratios.reuse >= GOALS.reuse
        ? 'met'
        : `**not met**: ${fmtX(GOALS.reuse - ratios.reuse)} short; a reuse would have to take ${fmtS(gates / GOALS.reuse)} s, Nx's start-up alone (\`npx nx show projects\`) takes ${fmtS(floor)} s`,
    binReuse: ratios.binReuse >= GOALS.reuse ? 'met' : `**not met**: ${fmtX(GOALS.reuse - ratios.binReuse)} short`,
    parallel: ratios.parallel >= GOALS.parallel ? 'met' : `**not met**: ${fmtX(GOALS.parallel - ratios.parallel)} short`,
  };
  const each = (list, key = 'total') => list.map((sample) => fmtS(sample[key])).join(', ');
  const cpuOf = (list, key = 'cpu') => (GNU_TIME ? fmtS(median(list.map((sample) => sample[key]))) : 'n/a');
  const busyOf = (list) => (Number.isNaN(list[0].busy) ? 'n/a' : `${Math.round(100 * median(list.map((sample) => sample.busy)))} %`);
  const perStage = STAGES.map((_, index) => median(samples.sequential.map((sample) => sample.each[index])));
  const innerRuns = [...new Set(samples.gates.map((sample) => sample.innerRuns))].join(' or ');
  const labels = samples.gates[0].labels.map((label) => `\`logs/nx-${label}.log\``).join(', ');
  // Phase medians, by position (every cold run of stage 1 had the same inner runs; checked in main()).
  const phaseMedians = samples.gates[0].phases.map(([name], index) => [name, median(samples.gates.map((sample) => sample.phases[index][1]))]);
  const phaseRows = phaseMedians.map(([name, value]) => `| ${name} | ${fmtS(value)} |`);
  const startUps = phaseMedians.filter(([name]) => /start-up/.test(name)).reduce((sum, [, value]) => sum + value, 0);
  const taskPhases = phaseMedians.filter(([name]) => /: tasks \(/.test(name)).reduce((sum, [, value]) => sum + value, 0);
  const bareStartUp = median(samples.bare.map((sample) => sample.total - sample.tasks));
  const cores = cpus().length;
  const stageLine = STAGES.map((stage) => `stage ${stage.id}: ${stage.libs.join(' + ')} (affects ${affectedOf(stage).join(', ')}; ${expectedTests(stage)} tests)`).join('; ');
  const cpuNote = GNU_TIME
    ? `CPU: user + system seconds of the command and every process it waited for (GNU time). Cores busy: share of the machine's ${cores} cores in use while it ran (/proc/stat: every process on the machine, this benchmark's and anyone else's).`
    : 'CPU and busy shares were not measured (no GNU time or /proc/stat here).';
  const parallelFloor = GNU_TIME ? median(samples.parallel.map((sample) => sample.cpu)) / cores : NaN;
  return [
    '# nx-stages: gates against bare Nx, reuse, three stages side by side',
    '',
    `Wall-clock time of each command as typed (\`npx nx …\`) until it exits 0; median of ${runs} runs, the two variants of each comparison alternating which goes first.`,
    `Workspace: stock Nx TypeScript (what \`create-nx-workspace@23.2.1 --preset=ts\` and \`nx g @nx/js:lib --bundler=tsc --unitTestRunner=jest --linter=eslint\` write, tools/bench/stock-workspace.mjs; ${versions.packages} packages in node_modules, no jest-junit, no outputs added), ` +
      `six libraries ${LIBS.map((lib) => `packages/${lib}`).join(', ')}, each with the \`lint\` (eslint, package.json checked by @nx/dependency-checks), \`build\` (tsc --build), \`typecheck\` and \`test\` (jest, @swc/jest; \`dependsOn: ^build\`) targets Nx infers; ` +
      `beta imports alpha, delta imports gamma and alpha, zeta imports epsilon (project references by \`nx sync\`). nx-stages init; three independent stages with their worktrees (\`npx nx-stages worktree <id>\`, node_modules linked) and work committed in each: ${stageLine}. ` +
      `Gate profile: \`[${PROFILE.join(', ')}]\` — the default without \`audit\`: npm's advisory service cannot be reached from these machines (the gate would say "could not run"), and the bare command audits nothing.`,
    '',
    "**Cold** means new to Nx's cache: right before every measured command (except the reuse), each owned library's source file gets a new `// revision N` line, committed, so every task of the affected projects has a new hash; their unaffected dependencies' builds come from the cache, as in real work.",
    '',
    `1. **gates vs bare Nx**, in stage 1's worktree: \`npx nx affected -t ${TARGETS.join(',')} --base=<merge-base> --outputStyle=static\` (bare: Nx's default parallelism, 3) vs \`npx nx run stage-1:gates --force\` (inner Nx \`--parallel=${cores}\`, the cores).`,
    '   The same through the bin, `npx nx-stages gates 1 --force` in the worktree: the same gates, without the outer `nx run` and its project graph of the main checkout.',
    '2. **unchanged re-run**: right after each cold gates run, the same command without `--force`, nothing changed (the result is reused).',
    `3. **three stages**: from the main checkout, \`npx ${RUN_MANY.join(' ')}\` (each stage's inner Nx gets \`--parallel=${Math.max(1, Math.floor(cores / STAGES.length))}\`: the cores split between the stages) vs \`npx nx run stage-<id>:gates --force\` for the three, one after another.`,
    '',
    "Every measured run is checked: bare Nx ran every lint/build/typecheck/test task of the affected projects and none came from the cache; each gates result (`.git/nx-stages/gates/stage-<id>/gates.json`) was written by that command for its worktree's HEAD, every gate passed (proof pending), the expected number of tests passed, and no task of an affected project came from the cache; a reuse says `reused:` and leaves the result untouched. " +
      "One unmeasured warm-up came first (the bare command in stage 1's worktree, then the run-many). HOME is a folder of the benchmark's own (in /var/tmp: not under /tmp, where Nx would not share its task cache between checkouts), so the cache the checkouts share (~/.nx/<workspace hash>/cache) is the benchmark's; Nx runs with its defaults, the daemon off as on CI and in containers.",
    '',
    `Machine: Node ${process.version}, **${cores} cores**, nx ${versions.nx}, jest ${versions.jest}, typescript ${versions.typescript}, eslint ${versions.eslint}, nx-stages ${versions.plugin}, npm ${versions.npm}; ${new Date().toISOString().slice(0, 10)}. ` +
      `Load average (1 min) before / after the timed runs: ${load.before.toFixed(1)} / ${load.after.toFixed(1)} (anything above 0 is other work sharing the ${cores} cores, and noise in these numbers). Merge-base of every stage: ${mergeBase.slice(0, 7)}.`,
    '',
    cpuNote,
    '',
    '| measurement | median (s) | each run (s) | CPU (s) | cores busy |',
    '|---|---:|---|---:|---:|',
    `| 1. bare \`nx affected -t ${TARGETS.join(',')}\`, cold (stage 1) | **${fmtS(bare)}** | ${each(samples.bare)} | ${cpuOf(samples.bare)} | ${busyOf(samples.bare)} |`,
    `| … of which Nx's "Run duration" (its tasks) | ${fmtS(bareTasks)} | ${each(samples.bare, 'tasks')} | | |`,
    `| 1. \`nx run stage-1:gates --force\`, cold | **${fmtS(gates)}** | ${each(samples.gates)} | ${cpuOf(samples.gates)} | ${busyOf(samples.gates)} |`,
    `| 2. \`nx run stage-1:gates\`, unchanged (reused) | **${fmtS(reuse)}** | ${each(samples.gates, 'reuse')} | ${cpuOf(samples.gates, 'reuseCpu')} | |`,
    `| 1. \`npx nx-stages gates 1 --force\` (the bin: no outer Nx), cold | **${fmtS(bin)}** | ${each(samples.bin)} | ${cpuOf(samples.bin)} | ${busyOf(samples.bin)} |`,
    `| 2. \`npx nx-stages gates 1\`, unchanged (reused) | **${fmtS(binReuse)}** | ${each(samples.bin, 'reuse')} | ${cpuOf(samples.bin, 'reuseCpu')} | |`,
    `| \`nx show projects\` in stage 1's worktree (Nx start-up alone) | ${fmtS(floor)} | ${samples.floor.map(fmtS).join(', ')} | | |`,
    `| 3. \`run-many -t gates\` of three stages \`--parallel=3\`, cold | **${fmtS(parallel)}** | ${each(samples.parallel)} | ${cpuOf(samples.parallel)} | ${busyOf(samples.parallel)} |`,
    `| 3. \`nx run stage-<id>:gates --force\` × 3, one after another, cold | **${fmtS(sequential)}** | ${each(samples.sequential)} | ${cpuOf(samples.sequential)} | ${busyOf(samples.sequential)} |`,
    '',
    `- **Goal 1, gates ≤ ${GOALS.bare}× bare Nx**: through \`nx run\` **${fmtX(ratios.bare)}** (ratio of the medians; ${perRun('bare')}) — ${verdict.bare}; through the bin **${fmtX(ratios.binBare)}** (${perRun('binBare')}) — ${verdict.binBare}.`,
    `- **Goal 2, unchanged re-run ≥ ${GOALS.reuse}× faster than cold** (the same command): through \`nx run\` **${fmtX(ratios.reuse)}** (${perRun('reuse')}) — ${verdict.reuse}; through the bin **${fmtX(ratios.binReuse)}** (${perRun('binReuse')}) — ${verdict.binReuse}.`,
    `- **Goal 3, three stages side by side ≥ ${GOALS.parallel}× one after another (${cores} cores): ${fmtX(ratios.parallel)}** (${perRun('parallel')}) — ${verdict.parallel}. One after another, the stages took ${perStage.map(fmtS).join(' s, ')} s (medians).` +
      (GNU_TIME
        ? ` Side by side they needed ${fmtS(parallelFloor * cores)} CPU seconds: even on ${cores} cores nobody else uses, no less than ${fmtS(parallelFloor)} s, at best ${fmtX(sequential / parallelFloor)} faster than one after another.`
        : ''),
    '',
    `Gates − bare = ${fmtS(gates - bare)} s. The gates run starts ${samples.gates[0].innerRuns + 1} Nx processes one after another (the outer \`nx run\`, then ${innerRuns} inner), whose start-ups add up to ${fmtS(startUps)} s against bare Nx's ${fmtS(bareStartUp)} s (its \`npx\`, start-up and wrap-up); ` +
      `their task phases add up to ${fmtS(taskPhases)} s against bare Nx's ${fmtS(bareTasks)} s (the test tasks wait for the task gates' run instead of running beside lint and typecheck; coverage; \`--parallel=${cores}\` against Nx's default 3).`,
    '',
    `Where a cold \`nx run stage-1:gates --force\` spends its time (median of each phase over the ${runs} cold runs; in each run its phases add up to its total). It starts ${innerRuns} inner Nx processes (${labels}), each with its own start-up and project graph, one after another: ` +
      "the task gates (lint, build, typecheck) in one `nx affected`, then the test gate's `nx affected -t test` with the measuring flags. Bare Nx starts one, and runs its test tasks alongside lint, build and typecheck.",
    '',
    '| phase | median (s) |',
    '|---|---:|',
    ...phaseRows,
    `| bare Nx, for comparison: \`npx\`, start-up and wrap-up (total − Run duration) | ${fmtS(bareStartUp)} |`,
    `| bare Nx, for comparison: its tasks (Run duration) | ${fmtS(bareTasks)} |`,
    '',
  ].join('\n');
}

function main() {
  console.error(`nx-stages gates benchmark: ${runs} runs (temp folder ${temp}, HOME ${home})`);
  const tarball = packPlugin(temp, runCaptured, env);
  console.error('  creating the workspace (npm install of the stock TypeScript set and the packed plugin), three stages and their worktrees…');
  makeWorkspace(tarball);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const versions = {
    nx: versionOf('nx'),
    jest: versionOf('jest'),
    typescript: versionOf('typescript'),
    eslint: versionOf('eslint'),
    plugin: versionOf('nx-stages'),
    npm: run('npm', ['--version'], root).stdout.trim(),
    packages: Object.keys(lock.packages).filter((path) => path.includes('node_modules/')).length,
  };
  const mergeBase = run('git', ['merge-base', 'HEAD', 'main'], worktreeOf(SINGLE.id)).stdout.trim();
  console.error("  warm-up: bare nx affected in stage 1's worktree, then run-many of the three stages' gates…");
  console.error(`  warm-up: bare ${fmtS(bareRun(mergeBase).total)} s, run-many ${fmtS(parallelRun().total)} s`);
  if (!existsSync(join(home, '.nx'))) throw new Error(`Nx did not use the shared task cache under ${join(home, '.nx')}`);

  const samples = { bare: [], gates: [], bin: [], parallel: [], sequential: [], floor: [] };
  const loadBefore = loadavg()[0];
  for (let i = 1; i <= runs; i++) {
    samples.floor.push(timed('npx', ['nx', 'show', 'projects'], worktreeOf(SINGLE.id)).seconds);
    // Each of the three goes first, second and last in turn.
    const order = ['bare', 'gates', 'bin'];
    for (const variant of [...order.slice((i - 1) % 3), ...order.slice(0, (i - 1) % 3)]) {
      if (variant === 'bin') {
        const sample = binRun();
        samples.bin.push(sample);
        console.error(`  run ${i} npx nx-stages gates --force: ${fmtS(sample.total)} s, reused: ${fmtS(sample.reuse)} s`);
      } else if (variant === 'bare') {
        const sample = bareRun(mergeBase);
        samples.bare.push(sample);
        console.error(`  run ${i} bare nx affected: ${fmtS(sample.total)} s (Run duration ${fmtS(sample.tasks)} s)`);
      } else {
        const sample = gatesRun();
        if (samples.gates.length && sample.labels.join() !== samples.gates[0].labels.join())
          throw new Error(`cold gates runs differ in their inner Nx runs: ${samples.gates[0].labels} vs ${sample.labels}`);
        samples.gates.push(sample);
        console.error(`  run ${i} gates --force: ${fmtS(sample.total)} s (${sample.innerRuns} inner Nx: ${sample.labels.join(', ')}), reused: ${fmtS(sample.reuse)} s`);
      }
    }
    for (const variant of i % 2 ? ['parallel', 'sequential'] : ['sequential', 'parallel']) {
      if (variant === 'parallel') {
        const sample = parallelRun();
        samples.parallel.push(sample);
        console.error(`  run ${i} run-many -t gates: ${fmtS(sample.total)} s`);
      } else {
        const sample = sequentialRun();
        samples.sequential.push(sample);
        console.error(`  run ${i} three gates one after another: ${fmtS(sample.total)} s (${sample.each.map(fmtS).join(' + ')})`);
      }
    }
  }
  const load = { before: loadBefore, after: loadavg()[0] };
  writeResults(resultsFile, report(samples, versions, load, mergeBase));
}

await runBench(main);
