// npm run demo: a throwaway workspace taken through nx-stages, printed as a short story.
// It installs the plugin from its packed tarball (as users get it), never from the source tree.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleFiles, exampleStages, stageWork } from './example-plan.mjs';
import { alive, commandOf, freePort, get, portTaken, processTree } from './processes.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NX_VERSION = '24.0.6';
const DEVKIT_VERSION = '24.0.0';
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false', NX_TUI: 'false', FORCE_COLOR: '0' };

const home = mkdtempSync(join(tmpdir(), 'nx-stages-demo-'));
const workspace = join(home, 'dashboard-app');
let stepNumber = 0;

function chapter(title, story) {
  console.log(`\n\x1b[1m${++stepNumber}. ${title}\x1b[0m\n   ${story}`);
}

/** Runs a command in the demo workspace (argument arrays, no shell) and shows it like a terminal. */
function run(command, args, { show = true, expectFailure = false, cwd = workspace } = {}) {
  const where = cwd === workspace ? '' : `(${basename(cwd)}) `;
  console.log(`\n   ${where}$ ${[command, ...args].map((arg) => (/[\s"$;&|]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}`);
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.split('\n').filter((line) => !/^npm warn|^\s*$|Run duration|Recoverable time|Critical path:\s+\d+m?s|Cache:\s+\d/.test(line));
  if (show) console.log(output.map((line) => `   │ ${line}`).join('\n'));
  const failed = result.status !== 0;
  if (failed !== expectFailure) {
    console.error(
      `\nDemo stopped: \`${command} ${args.join(' ')}\` ${failed ? `failed (exit ${result.status})` : 'succeeded but should have been refused'}.\n${result.stdout}${result.stderr}`,
    );
    process.exit(1);
  }
  return result.stdout;
}

const nx = (...args) => run('npx', ['nx', ...args]);

function stop(message, details = '') {
  console.error(`\nDemo stopped: ${message}${details ? `\n${details}` : ''}`);
  process.exit(1);
}

/** `status --json`, read by the demo itself (not shown). */
function statusData() {
  const result = spawnSync('npx', ['nx-stages', 'status', '--json'], { cwd: workspace, env, encoding: 'utf8' });
  if (result.status !== 0) stop('npx nx-stages status --json failed.', `${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Resolves after `ms`, with `value`. */
const after = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());

/**
 * `nx run-many -t serve` for the stages, in a process group of its own (a terminal's job), each
 * server answering over HTTP, status while they run, then Ctrl+C to the group and a check that
 * every process it started is gone (by pid) and the ports are free again.
 */
async function serveSideBySide(ids) {
  const ports = {};
  for (const id of ids) {
    const file = join(worktreeOf(id), '.env.local');
    const text = readFileSync(file, 'utf8');
    const allotted = Number(/^PORT=(\d+)$/m.exec(text)?.[1]);
    ports[id] = allotted;
    // This machine is shared: where the allotted port is taken, the stage gets another, set where a user sets it.
    if (!allotted || (await portTaken(allotted))) {
      ports[id] = await freePort();
      writeFileSync(file, /^PORT=/m.test(text) ? text.replace(/^PORT=.*$/m, `PORT=${ports[id]}`) : `${text}PORT=${ports[id]}\n`);
      console.log(`   │ ${id}: port ${allotted || '(none)'} is taken on this machine; PORT=${ports[id]} in its .env.local instead`);
    }
  }
  console.log(`\n   ${ids.map((id) => `${id}: PORT=${ports[id]}`).join(' · ')} (each worktree's .env.local)`);
  const args = ['run-many', '-t', 'serve', '-p', ids.map((id) => `stage-${id}`).join(','), '--outputStyle=stream'];
  console.log(`\n   $ npx nx ${args.join(' ')} &   # a job of its own, as in a second terminal`);
  const logFile = join(home, 'serve.log');
  const log = openSync(logFile, 'w');
  const serving = spawn(join(workspace, 'node_modules', '.bin', 'nx'), args, { cwd: workspace, env, detached: true, stdio: ['ignore', log, log] });
  const closed = new Promise((resolve) => serving.once('close', (code, signal) => resolve({ code, signal })));
  const output = () => readFileSync(logFile, 'utf8');
  const seen = new Set();
  const pages = {};
  // Whatever way the demo ends (run() and stop() exit at once), nothing it started keeps running: by pid.
  const cleanup = () => {
    for (const pid of [...seen, ...processTree(serving.pid)].filter(alive)) process.kill(pid, 'SIGKILL');
    if (serving.exitCode === null && serving.signalCode === null) process.kill(-serving.pid, 'SIGKILL');
  };
  process.on('exit', cleanup);
  try {
    // A loaded machine starts two Nx and two servers slowly; a demo that never answers still ends.
    const deadline = Date.now() + 240_000;
    for (const id of ids) {
      const url = `http://localhost:${ports[id]}/`;
      let body;
      while (body === undefined) {
        if (serving.exitCode !== null || serving.signalCode !== null) stop(`nx run-many -t serve ended before stage ${id}'s server answered.`, output());
        if (Date.now() > deadline) stop(`stage ${id}'s server did not answer on ${url} within 4 minutes.`, output());
        body = await get(url).catch(() => after(300, undefined));
      }
      pages[id] = body.trim();
    }
    const told = output()
      .split('\n')
      .filter((line) => /nx-stages: serving|listening on/.test(line));
    console.log(told.map((line) => `   │ ${line.trim()}`).join('\n'));
    for (const id of ids) console.log(`\n   $ curl http://localhost:${ports[id]}/   # stage ${id}'s worktree\n   │ ${pages[id]}`);
    const { servers } = statusData();
    if (servers.length !== ids.length) stop(`status --json lists ${servers.length} dev servers while ${ids.length} run.`, JSON.stringify(servers, null, 2));
    // Everything that runs now: the outer Nx and its tasks, each the Nx it started in its worktree, and the servers.
    for (const pid of [serving.pid, ...servers.map((server) => server.pid)]) for (const found of processTree(pid)) seen.add(found);
    run('npx', ['nx-stages', 'status', '--resources']);
    const serverProcesses = [...seen].filter((pid) => /^\S*node server\.js --port=\d+/.test(commandOf(pid)));
    // Where /proc tells command lines, the servers themselves must be among what is checked after Ctrl+C.
    if (existsSync('/proc') && serverProcesses.length !== ids.length)
      stop(`found ${serverProcesses.length} server processes for ${ids.length} servers.`, [...seen].map(commandOf).join('\n'));

    console.log(`\n   $ kill -INT -${serving.pid}   # Ctrl+C: SIGINT to the job's process group`);
    process.kill(-serving.pid, 'SIGINT');
    const ended = await Promise.race([closed, after(120_000, 'still running')]);
    if (ended === 'still running') stop('nx run-many -t serve still runs 2 minutes after Ctrl+C.', output());
    const left = [...seen].filter(alive);
    const answers = (port) =>
      get(`http://localhost:${port}/`).then(
        () => true,
        () => false,
      );
    const answering = [];
    for (const id of ids) if (await answers(ports[id])) answering.push(ports[id]);
    if (left.length > 0 || answering.length > 0)
      stop(`after Ctrl+C, ${left.length} of the ${seen.size} processes still run (${left.join(', ')}), ports answering: ${answering.join(', ') || 'none'}.`, output());
    console.log(
      `   │ run-many ended (${ended.signal ?? `exit ${ended.code}`}); of the ${seen.size} processes it ran (the servers: pids ${serverProcesses.join(' and ')}), none is left, checked by pid; ports ${ids.map((id) => ports[id]).join(' and ')} refuse connections.`,
    );
    if (statusData().servers.length > 0) stop('status still lists a dev server after Ctrl+C.');
    console.log('   │ status --json: "servers": [] (the records went with their servers)');
  } finally {
    cleanup();
    process.off('exit', cleanup);
    closeSync(log);
  }
}

chapter('A workspace', `A small Nx workspace for a dashboard app, in ${workspace}.`);
mkdirSync(workspace, { recursive: true });
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', home], { cwd: join(repo, 'packages', 'nx-stages'), encoding: 'utf8' })
  .trim()
  .split('\n')
  .pop();
writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'dashboard-app', private: true, version: '0.0.0' }, null, 2));
writeFileSync(join(workspace, 'nx.json'), JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json' }, null, 2));
for (const [path, text] of Object.entries(exampleFiles)) {
  mkdirSync(join(workspace, dirname(path)), { recursive: true });
  writeFileSync(join(workspace, path), text);
}
run('git', ['init', '--quiet', '--initial-branch=main'], { show: false });
run('npm', ['install', '--no-audit', '--no-fund', '--save-dev', `nx@${NX_VERSION}`, `@nx/devkit@${DEVKIT_VERSION}`, 'jest@30.5.2', join(home, tarball)]);

chapter('Install the plugin', 'init registers nx-stages in nx.json and creates the plan file.');
nx('g', 'nx-stages:init');
// npm audit cannot reach an advisory service on this machine: keep the gate, make it inform rather than block.
writeFileSync(join(workspace, 'stages', 'stages.yaml'), `${readFileSync(join(workspace, 'stages', 'stages.yaml'), 'utf8')}\ngates:\n  audit: { tier: recommended }\n`);
run('git', ['add', '-A'], { show: false });
run('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', 'commit', '--quiet', '-m', 'Dashboard app with nx-stages'], { show: false });
// The team's shared remote: a bare repository, as a forge would hold it.
const remote = join(home, 'dashboard-app.git');
run('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote], { show: false });
run('git', ['remote', 'add', 'origin', remote], { show: false });
run('git', ['push', '--quiet', '--set-upstream', 'origin', 'main'], { show: false });

chapter('Split the feature into stages', 'The dashboard feature (6.5 weeks of work) becomes four stages; one generator call each.');
for (const stage of exampleStages) {
  const args = [
    'g',
    'nx-stages:stage',
    stage.id,
    `--name=${stage.name}`,
    `--duration=${stage.duration}`,
    `--priority=${stage.priority}`,
    `--files=${stage.files.join(',')}`,
    `--assignee=${stage.assignee}`,
    `--value=${stage.value}`,
  ];
  if (stage.dependsOn.length > 0) args.push(`--dependsOn=${stage.dependsOn.join(',')}`);
  nx(...args);
}

chapter('Mistakes are refused before they cost anything', 'A dependency on a typo and a hostile id are refused with the fix; nothing is written.');
run('npx', ['nx', 'g', 'nx-stages:stage', '9.5', '--name=Exports', '--dependsOn=9.l'], { expectFailure: true });
run('npx', ['nx', 'g', 'nx-stages:stage', '$(touch pwned)', '--name=Exports'], { expectFailure: true });

chapter('A broken stage file does not stop Nx', 'Nx keeps working and names the file and line; validate fails until it is fixed.');
const brokenFolder = join(workspace, 'stages', '9.9-broken');
mkdirSync(brokenFolder);
writeFileSync(join(brokenFolder, 'stage.yaml'), 'id: "9.9"\nname: [oops\nduration: 1w\n');
run('npx', ['nx', 'show', 'projects']);
run('npx', ['nx-stages', 'validate'], { expectFailure: true });
rmSync(brokenFolder, { recursive: true });

chapter('Nx sees the plan', 'Every stage is a project with group, priority and assignee tags; dependsOn are graph edges.');
nx('show', 'projects');
const graphFile = join(home, 'graph.json');
nx('graph', `--file=${graphFile}`);
const graph = JSON.parse(readFileSync(graphFile, 'utf8')).graph;
for (const name of Object.keys(graph.nodes)
  .filter((node) => node.startsWith('stage-'))
  .sort()) {
  const edges = graph.dependencies[name].map((edge) => edge.target).join(', ') || '—';
  const tags = graph.nodes[name].data.tags.filter((tag) => tag !== 'stage').join(' ');
  console.log(`   │ ${name.padEnd(10)} ${tags.padEnd(60)} depends on: ${edges}`);
}
nx('run-many', '-t', 'validate', '--projects=tag:stages-plan', '--outputStyle=static');

chapter('The plan, computed', 'plan writes stages/PLAN.md: Mermaid graph, groups, schedule, critical path and the real savings.');
nx('run', 'stages:plan', '--teamSize=2');
console.log(`\n   The method's own write-up claims "3 weeks vs 6.5 weeks"; 9.4 cannot start before 9.1 is done (day 10)`);
console.log('   and takes 7.5 days, so the honest answer is 17.5 working days (3.5 weeks): 46 % faster, not 54 %.');

chapter('Parallel worktrees', 'Each independent stage gets its own branch and worktree beside the workspace, ready to run Nx.');
const git = (cwd, ...args) => spawnSync('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', ...args], { cwd, env, encoding: 'utf8' });
const commit = (cwd, message, paths = ['-A']) => {
  git(cwd, 'add', ...paths);
  git(cwd, 'commit', '--quiet', '-m', message);
};
commit(workspace, 'Plan the dashboard feature in stages');
git(workspace, 'push', '--quiet', 'origin', 'main');
for (const id of ['9.1', '9.2']) nx('g', 'nx-stages:worktree', id);
console.log('\n   The same without Nx\'s start-up, for scripts and agents (stdout is only the path: cd "$(npx nx-stages worktree 9.3)"):');
run('npx', ['nx-stages', 'worktree', '9.3']);
console.log("\n   9.4 needs 9.1 merged first, so it is refused (or started on 9.1's branch with --stack):");
run('npx', ['nx', 'g', 'nx-stages:worktree', '9.4'], { expectFailure: true });

chapter('Work in each worktree', 'Each person commits code and tests in their own checkout; nobody waits for anybody.');
// `nx-stages go` prints only the path, for `cd "$(npx nx-stages go 9.1)"`.
const worktrees = Object.fromEntries(Object.keys(stageWork).map((id) => [id, spawnSync('npx', ['nx-stages', 'go', id], { cwd: workspace, env, encoding: 'utf8' }).stdout.trim()]));
const worktreeOf = (id) => worktrees[id];
console.log(`\n   $ cd "$(npx nx-stages go 9.1)"   # ${worktreeOf('9.1')}`);
for (const [id, files] of Object.entries(stageWork)) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(worktreeOf(id), dirname(path)), { recursive: true });
    writeFileSync(join(worktreeOf(id), path), text);
  }
  // Alice keeps her layout uncommitted for a moment, to show it in the team view.
  const later = id === '9.1' ? Object.keys(files).filter((path) => path.includes('layout')) : [];
  commit(
    worktreeOf(id),
    `Stage ${id} work`,
    Object.keys(files).filter((path) => !later.includes(path)),
  );
  console.log(`   │ ${id}: ${Object.keys(files).length - later.length} files committed in ${worktreeOf(id)}`);
}
run('npx', ['nx-stages', 'status', '--by=assignee']);
commit(worktreeOf('9.1'), 'Dashboard layout');
console.log('\n   One command in every stage worktree at once, each line prefixed with its stage (an argument list, no shell):');
run('npx', ['nx-stages', 'exec', '--', 'git', 'log', '--oneline', '-1']);

chapter(
  'Dev servers side by side',
  "Each stage worktree has its own port (PORT in its .env.local). serve starts the app's dev server from the stage's worktree, on that port, so each answers with its own code; run-many runs two at once, status shows them, and Ctrl+C stops both by the pids they started.",
);
await serveSideBySide(['9.1', '9.2']);

chapter(
  'Quality gates, every stage at once',
  'run-many runs each stage\'s gates in its own worktree, side by side: one Nx run for the task gates, then the tests, measured by nx-stages itself (no reporter to install); each gate and each inner Nx task is printed as it ends. npm audit cannot reach an advisory service here: it reads "could not run" and quotes npm (stages.yaml made it recommended, so it informs without blocking).',
);
nx('run-many', '-t', 'gates', '--projects=tag:stage-group:A', '--parallel=3', '--outputStyle=stream');

chapter(
  'Nothing changed: reused',
  'Same content, gate settings and lock files as the last run: the result stands, in about a second (--force measures again), and the gates left nothing in the worktree: git status is empty.',
);
nx('run', 'stage-9.1:gates', '--outputStyle=static');
run('git', ['-C', worktreeOf('9.1'), 'status', '--short']);

chapter(
  'Proofs',
  "Every number in a proof is measured; each is committed on its branch, tagged stage-<id>-complete and, with --push, published with its tag to the team's remote (never forced).",
);
nx('run-many', '-t', 'proof', '--projects=tag:stage-group:A', '--review=Reviewed in the demo: code and tests read, nothing open.', '--push', '--outputStyle=static');

chapter('The forecast, before anyone merges', 'conflicts merges every pair in memory (git merge-tree): no checkout is touched.');
run('npx', ['nx', 'run', 'stages:conflicts'], { expectFailure: true });

chapter('Fixed where it belongs', "Bob drops his retitling of the app (it is 9.1's), re-runs his gates and proof; the forecast is clean.");
git(worktreeOf('9.2'), 'checkout', 'main', '--', 'src/web-ui/app/page.js', 'src/web-ui/app/page.test.js');
commit(worktreeOf('9.2'), 'Leave the app title to stage 9.1');
nx('run', 'stage-9.2:gates', '--outputStyle=static');
nx('run', 'stage-9.2:proof', '--review=Reviewed in the demo: charts only now.', '--push', '--outputStyle=static');
run('npx', ['nx', 'run', 'stages:conflicts']);

chapter('Proofs that cannot lie', 'verify checks each committed proof against its branch: digest, evidence, content.');
nx('run-many', '-t', 'verify', '--projects=tag:stage-group:A', '--outputStyle=static');

chapter(
  "A teammate's view, from her own clone",
  "Dana clones the team's remote. Without a checkout of anybody's branch, status --fetch shows the stages as the remote has them (origin/stage-9.1 …) with their proofs, and verify checks a proof right there.",
);
const dana = join(home, 'dana');
run('git', ['clone', '--quiet', remote, dana], { show: false });
// Her own `npm install` is left out to keep the demo short: the bin needs only git and the plan.
const bin = join(workspace, 'node_modules', 'nx-stages', 'dist', 'bin', 'nx-stages.js');
run('node', [bin, 'status', '--fetch'], { cwd: dana });
run('node', [bin, 'verify', '9.1'], { cwd: dana });

chapter(
  'The merge queue',
  "stages:merge merges every ready stage one at a time in the plan's merge order (the order conflicts simulated), each proof checked right before its merge, and --push publishes main after each merge, never forced. 9.4 has not started: it waits.",
);
nx('run', 'stages:merge', '--push', '--outputStyle=static');
run('node', [bin, 'status', '--fetch'], { cwd: dana });

chapter('Clean up', 'Merged stages lose their worktrees and branches (with --push, their branches on the remote too); anything unmerged or uncommitted would be kept.');
nx('run', 'stages:clean', '--deleteBranch', '--push');

chapter('Where it ends', 'The team view and the history: one merge commit per stage, each carrying its proof.');
run('npx', ['nx-stages', 'status']);
run('git', ['log', '--graph', '--oneline', '--decorate=short', '-n', '14']);

console.log(`\nDone. The demo workspace stays in ${workspace} for you to explore (stages/PLAN.md,`);
console.log(`stage-proofs/*/STAGE_*_PROOF.md); delete ${home} when finished.`);
