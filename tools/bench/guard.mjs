#!/usr/bin/env node
// Benchmark: how long does `nx-stages guard` (Claude Code's PreToolUse hook) take per call?
//
//   node tools/bench/guard.mjs [--runs=21] [--stages=12] [--keep]
//
// Claude Code runs the hook before every file an agent writes, so each call's whole process
// counts: Node's start-up, loading the guard's modules, its git calls, reading the plan. In a temp
// folder of its own it makes a git repository `app` with nx.json and a plan of --stages stages
// (stage i owns libs/s<i>/**), commits it, creates the worktrees of stages 1 and 2 beside it
// (`git worktree add`), and merges stage 3's branch (one commit) into main. Then it runs the built
// bin (`node packages/nx-stages/dist/bin/nx-stages.js guard`, no npx) with a real PreToolUse
// payload on stdin, cwd the worktree of stage 1, one variant after the other, --runs rounds:
//   baseline   `node -e ''`: Node's own start-up on this machine, in the same rounds
//   modules    `node -e 'require(".../bin/guard-hook.js")'`: start-up and the guard's modules, no call
//   read       a Read call: no opinion, no git, no plan
//   allow      Write of libs/s1/x.ts, one of stage 1's files (one git call, the plan)
//   ask        Edit of README.md, nobody's file (the same)
//   deny-stage Write of libs/s2/x.ts, stage 2's: is stage 2 merged? (git: base, stage-merged)
//   merged     Write of libs/s3/x.ts, merged stage 3's: the same questions, answered yes, so ask
//   deny-out   Write of ../app/x.ts, the main checkout: outside the worktree
// Each call must give the expected decision. Prints the medians, the guard's time minus the
// baseline, the load average, and writes tools/bench/results/guard.md. The plugin must be built
// first (`npm run bench:guard` builds it).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTemp, median, parseArgs, PLUGIN_DIR, runBench, writeResults } from './support.mjs';

const resultsFile = join(dirname(fileURLToPath(import.meta.url)), 'results', 'guard.md');
const { args, usage } = parseArgs('node tools/bench/guard.mjs [--runs=21] [--stages=12] [--keep]');
const runs = Number(args.runs ?? 21);
const stageCount = Number(args.stages ?? 12);
if (!Number.isInteger(runs) || runs < 1) usage('--runs takes a positive whole number');
if (!Number.isInteger(stageCount) || stageCount < 3) usage('--stages takes a whole number of 3 or more');
const bin = join(PLUGIN_DIR, 'dist', 'bin', 'nx-stages.js');

const temp = benchTemp('nx-stages-bench-guard-', { keep: Boolean(args.keep) });
const root = join(temp, 'app');
const gitconfig = join(temp, '.gitconfig');
writeFileSync(gitconfig, '');
const env = {
  PATH: process.env.PATH,
  HOME: temp,
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
};
const git = (cwd, gitArgs) => execFileSync('git', gitArgs, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** The repository, its plan, two stage worktrees and a merged stage. */
function setUp() {
  mkdirSync(root);
  git(root, ['init', '--quiet', '--initial-branch=main']);
  write(join(root, 'nx.json'), '{}\n');
  write(join(root, 'README.md'), '# app\n');
  write(join(root, 'stages', 'stages.yaml'), 'baseBranch: main\n');
  for (let i = 1; i <= stageCount; i++) {
    write(join(root, 'stages', String(i), 'stage.yaml'), `id: "${i}"\nname: Stage ${i}\nduration: 1w\nvalue: Users get feature ${i}.\nfiles:\n  - libs/s${i}/**\n`);
    write(join(root, 'libs', `s${i}`, 'index.ts'), `export const s${i} = ${i};\n`);
  }
  git(root, ['add', '--all']);
  git(root, ['commit', '--quiet', '-m', 'plan']);
  for (const id of ['1', '2']) git(root, ['worktree', 'add', '--quiet', '-b', `stage-${id}`, join(temp, `app-stage-${id}`)]);
  git(root, ['switch', '--quiet', '-c', 'stage-3']);
  write(join(root, 'libs', 's3', 'index.ts'), 'export const s3 = 33;\n');
  git(root, ['commit', '--quiet', '-am', 'stage 3 work']);
  git(root, ['switch', '--quiet', 'main']);
  git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 3: Stage 3', 'stage-3']);
}

const cwd = () => join(temp, 'app-stage-1');
const payload = (tool, input) =>
  JSON.stringify({
    session_id: 'bench',
    transcript_path: join(temp, 't.jsonl'),
    cwd: cwd(),
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
    tool_use_id: 'toolu_bench',
  });
const VARIANTS = [
  { name: 'baseline', label: "`node -e ''` (Node's start-up)", command: ['-e', ''] },
  {
    name: 'modules',
    label: "`node -e 'require(…/bin/guard-hook.js)'`: loading the guard's modules, no call",
    command: ['-e', `require(${JSON.stringify(join(PLUGIN_DIR, 'dist', 'bin', 'guard-hook.js'))})`],
  },
  { name: 'read', label: 'Read call: no opinion', input: () => payload('Read', { file_path: join(cwd(), 'README.md') }), expect: undefined },
  { name: 'allow', label: "Write of a stage's own file: allow", input: () => payload('Write', { file_path: join(cwd(), 'libs/s1/x.ts'), content: 'x' }), expect: 'allow' },
  { name: 'ask', label: "Edit of nobody's file: ask", input: () => payload('Edit', { file_path: join(cwd(), 'README.md'), old_string: 'app', new_string: 'App' }), expect: 'ask' },
  { name: 'deny-stage', label: "Write of an unmerged stage's file: deny", input: () => payload('Write', { file_path: join(cwd(), 'libs/s2/x.ts'), content: 'x' }), expect: 'deny' },
  { name: 'merged', label: "Write of a merged stage's file: ask", input: () => payload('Write', { file_path: join(cwd(), 'libs/s3/x.ts'), content: 'x' }), expect: 'ask' },
  { name: 'deny-out', label: 'Write outside the worktree: deny', input: () => payload('Write', { file_path: join(cwd(), '..', 'app', 'x.ts'), content: 'x' }), expect: 'deny' },
];

/** One timed call; throws when the guard's answer is not the expected one. */
function timeCall(variant) {
  const argv = variant.command ?? [bin, 'guard'];
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, argv, { cwd: cwd(), env, input: variant.input?.() ?? '', encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${variant.name}: exit ${result.status}\n${result.stderr}`);
  if (variant.command === undefined) {
    const decision = result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout).hookSpecificOutput.permissionDecision;
    if (decision !== variant.expect) throw new Error(`${variant.name}: expected ${variant.expect ?? 'no opinion'}, got ${decision ?? 'no opinion'}\n${result.stdout}`);
  }
  return ms;
}

await runBench(async () => {
  if (!existsSync(bin)) throw new Error(`The plugin is not built (${bin} is missing): run \`npm run build\` first.`);
  setUp();
  // One untimed call of each: the file system cache, as on a machine where the agent has been working.
  for (const variant of VARIANTS) timeCall(variant);
  const loadBefore = loadavg()[0];
  const times = Object.fromEntries(VARIANTS.map((variant) => [variant.name, []]));
  for (let round = 0; round < runs; round++) for (const variant of VARIANTS) times[variant.name].push(timeCall(variant));
  const loadAfter = loadavg()[0];

  const medians = Object.fromEntries(VARIANTS.map((variant) => [variant.name, median(times[variant.name])]));
  const baseline = medians.baseline;
  const guards = VARIANTS.filter((variant) => variant.command === undefined);
  const worst = Math.max(...guards.map((variant) => medians[variant.name]));
  const ms = (value) => value.toFixed(0);
  const rows = VARIANTS.map((variant) => {
    const value = medians[variant.name];
    const over = variant.name === 'baseline' ? '—' : `+${ms(value - baseline)}`;
    return `| ${variant.label} | **${ms(value)}** | ${over} | ${ms(Math.min(...times[variant.name]))} | ${ms(Math.max(...times[variant.name]))} |`;
  });
  const text = `# nx-stages: time of one \`nx-stages guard\` call

Each call is a whole process, as Claude Code runs the hook before every file an agent writes: \`node packages/nx-stages/dist/bin/nx-stages.js guard\` (the built bin, no npx) with a real PreToolUse payload on stdin, in the worktree of stage 1. Plan: ${stageCount} stages (stage i owns \`libs/s<i>/**\`), worktrees of stages 1 and 2, stage 3 merged into main. Median of ${runs} rounds; each round runs every variant once, one after the other, after one untimed call of each. The baseline \`node -e ''\` is Node's own start-up in the same rounds: what no hook written for Node can go below.

Machine: Node ${process.version}, ${cpus().length} cores, git ${git(root, ['--version']).trim().replace('git version ', '')}; ${new Date().toISOString().slice(0, 10)}. Load average (1 min) before / after the timed runs: ${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} (other work sharing the cores slows every variant, the baseline too).

| call | median (ms) | over the baseline (ms) | fastest (ms) | slowest (ms) |
|---|---:|---:|---:|---:|
${rows.join('\n')}

**Goal under 200 ms a call:** slowest median ${ms(worst)} ms (${worst < 200 ? 'met' : 'not met'}), of which Node's start-up is ${ms(baseline)} ms and loading the guard's modules +${ms(medians.modules - baseline)} ms; the guard's own share is at most +${ms(worst - baseline)} ms.
`;
  writeResults(resultsFile, text);
});
