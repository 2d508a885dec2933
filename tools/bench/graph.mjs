#!/usr/bin/env node
// Benchmark: what does nx-stages cost Nx's project graph?
//
//   node tools/bench/graph.mjs [--stages=100,1000] [--runs=5] [--keep]
//
// For each size N it builds five real Nx 24 workspaces that Nx sees as the same N+1 projects
// (same names, roots, tags, edges):
//   plugin    nx.json registers nx-stages; stages/stages.yaml + N stages/<id>-<slug>/stage.yaml
//   baseline  no plugin; the same projects written as plain project.json files
//              (edges as implicitDependencies)
//   targets   the same projects as the plugin returns them, targets included, as plain
//              project.json files: what writing the plugin's output by hand would cost Nx
//   empty     the baseline's project.json files and the plugin's plan files, plus an empty plugin
//              registered in nx.json: installed like nx-stages, matching the same glob, returning
//              no projects. What Nx itself charges for running any plugin (under isolation: a
//              worker process).
//   own       the plugin workspace with nx-stages wrapped so that its stage projects come back
//              without targets: every line of nx-stages' own code runs (load, cache, parse, the
//              project configurations, edges), only Nx's merging of the 6 targets per stage is
//              left out. Against baseline and empty, that is what nx-stages' own work costs; the
//              targets cost Nx the same whoever declares them (see targets).
// and times `nx show projects` (NX_DAEMON=false) in each: one warm-up run each, then --runs
// rounds, rotating which workspace goes first. It does this with NX_ISOLATE_PLUGINS unset
// (Nx's default: plugins run in worker processes) and with NX_ISOLATE_PLUGINS=false, and prints
// the medians, the plugin/baseline and plugin/empty ratios, and the per-project cost growth from
// the smallest to the largest N. The plugin must be built first (`npm run build`); this script only packs it.
// Results go to stdout and to tools/bench/results/graph.md.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { benchEnv, benchTemp, capturingRunner, DEVKIT_VERSION, median, NX_VERSION, nxBin, packPlugin, parseArgs, runBench, writeResults } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const { args, usage } = parseArgs('node tools/bench/graph.mjs [--stages=100,1000] [--runs=5] [--keep]');
const sizes = String(args.stages ?? '100,1000')
  .split(',')
  .map(Number);
const runs = Number(args.runs ?? 5);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) usage('--stages and --runs take positive whole numbers');
sizes.sort((a, b) => a - b);

const temp = benchTemp('nx-stages-bench-', { keep: Boolean(args.keep) });
const baseEnv = () => benchEnv(temp);
const run = capturingRunner(temp);

// ---------------------------------------------------------------------------------------------
// A realistic plan: features of up to 10 stages; inside a feature most stages build on the one
// before, some start in parallel; a feature's first stage sometimes needs an earlier feature.
// Seeded, so every run benchmarks the same plan.

function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = ['web-ui', 'api', 'billing', 'search', 'auth', 'reports', 'mobile', 'infra'];
const PARTS = ['model', 'service', 'controller', 'components', 'hooks', 'store', 'jobs', 'docs', 'tests', 'styles'];
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];

function makePlan(n) {
  const next = random(n);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const stages = [];
  for (let k = 0; k < n; k++) {
    const feature = Math.floor(k / 10) + 1;
    const part = (k % 10) + 1;
    const id = `${feature}.${part}`;
    const area = AREAS[feature % AREAS.length];
    const dependsOn = [];
    if (part > 1 && next() < 0.7) dependsOn.push(`${feature}.${part - 1 - (part > 2 && next() < 0.3 ? 1 : 0)}`);
    if (part === 1 && feature > 1 && next() < 0.5) dependsOn.push(`${Math.max(1, feature - 1 - Math.floor(next() * 3))}.${1 + Math.floor(next() * 3)}`);
    const name = `${area} ${PARTS[part - 1]} for feature ${feature}`;
    stages.push({
      id,
      name,
      slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      duration: pick(['3d', '1w', '1w', '1.5w', '2w']),
      priority: pick(['P0', 'P1', 'P1', 'P2']),
      assignee: next() < 0.8 ? pick(PEOPLE) : undefined,
      dependsOn: dependsOn.filter((dependency) => dependency !== id),
      files: [`src/${area}/feature-${feature}/${PARTS[part - 1]}/**`, `docs/feature-${feature}/${PARTS[part - 1]}.md`],
      value: `Users of ${area} get the ${PARTS[part - 1]} of feature ${feature}.`,
    });
  }
  // Parallel groups (topological levels), as the plugin derives them.
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  const level = new Map();
  const levelOf = (stage) => {
    if (!level.has(stage.id)) level.set(stage.id, Math.max(-1, ...stage.dependsOn.map((id) => levelOf(byId.get(id)))) + 1);
    return level.get(stage.id);
  };
  for (const stage of stages) stage.group = groupLetter(levelOf(stage));
  return stages;
}

function groupLetter(index) {
  let label = '';
  for (let i = index + 1; i > 0; i = Math.floor((i - 1) / 26)) label = String.fromCharCode(65 + ((i - 1) % 26)) + label;
  return label;
}

const yamlString = (text) => JSON.stringify(text); // JSON strings are valid YAML double-quoted scalars

function stageYaml(stage) {
  return [
    `id: ${yamlString(stage.id)}`,
    `name: ${stage.name}`,
    `duration: ${stage.duration}`,
    `priority: ${stage.priority}`,
    `dependsOn: [${stage.dependsOn.map(yamlString).join(', ')}]`,
    'files:',
    ...stage.files.map((file) => `  - ${file}`),
    'profile: default',
    ...(stage.assignee ? [`assignee: ${stage.assignee}`] : []),
    `deliverables: [${yamlString(`${stage.name} shipped`)}]`,
    `value: ${stage.value}`,
    '',
  ].join('\n');
}

function projectJson(stage) {
  const tags = ['stage', `stage-priority:${stage.priority}`, `stage-group:${stage.group}`];
  if (stage.assignee) tags.push(`stage-assignee:${stage.assignee}`);
  return {
    name: `stage-${stage.id}`,
    tags,
    implicitDependencies: stage.dependsOn.map((id) => `stage-${id}`),
    metadata: { description: `Stage ${stage.id}: ${stage.name}` },
    targets: {},
  };
}

// ---------------------------------------------------------------------------------------------

// The plugin's glob (PLAN_GLOB in plugin/create-nodes.ts): the empty plugin is handed the same file.
const PLAN_GLOB = '**/stages.yaml';
const EMPTY_PLUGIN = 'bench-empty-plugin';
const OWN_PLUGIN = 'bench-nx-stages-own';

function installDependencies(tarball) {
  const dir = join(temp, 'deps');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-deps', version: '0.0.0', private: true }));
  run('npm', ['install', '-D', '--save-exact', `nx@${NX_VERSION}`, `@nx/devkit@${DEVKIT_VERSION}`, tarball], { cwd: dir, env: baseEnv() });
  // Installed beside nx-stages rather than as a workspace file: Nx resolves a plugin inside the
  // workspace by first reading every project.json without plugins (resolve-plugin.js), a cost
  // nx-stages, an installed package, never pays.
  const empty = join(dir, 'node_modules', EMPTY_PLUGIN);
  mkdirSync(empty);
  writeFileSync(join(empty, 'package.json'), `${JSON.stringify({ name: EMPTY_PLUGIN, version: '0.0.0', main: 'index.js' }, null, 2)}\n`);
  writeFileSync(
    join(empty, 'index.js'),
    `// An Nx plugin that does nothing: matches nx-stages' glob, returns no projects.\nexports.createNodesV2 = [${JSON.stringify(PLAN_GLOB)}, async (files) => files.map((file) => [file, { projects: {} }])];\n`,
  );
  const own = join(dir, 'node_modules', OWN_PLUGIN);
  mkdirSync(own);
  writeFileSync(join(own, 'package.json'), `${JSON.stringify({ name: OWN_PLUGIN, version: '0.0.0', main: 'index.js' }, null, 2)}\n`);
  writeFileSync(
    join(own, 'index.js'),
    [
      "// nx-stages with its stage projects' targets taken out after it made them: nx-stages' own work, without Nx's merging of those targets.",
      "const stages = require('nx-stages');",
      'const [glob, createNodes] = stages.createNodesV2;',
      'exports.name = ' + JSON.stringify(OWN_PLUGIN) + ';',
      'exports.createDependencies = stages.createDependencies;',
      'exports.createNodesV2 = [glob, async (files, options, context) => {',
      '  const results = await createNodes(files, options, context);',
      "  for (const [, result] of results) for (const project of Object.values(result.projects ?? {})) if (project.tags?.includes('stage')) project.targets = {};",
      '  return results;',
      '}];',
      '',
    ].join('\n'),
  );
  return join(dir, 'node_modules');
}

function makeWorkspace(name, nodeModules, files) {
  const root = join(temp, name);
  mkdirSync(root);
  run('git', ['init', '-q', '-b', 'main'], { cwd: root, env: baseEnv() });
  symlinkSync(nodeModules, join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: 'bench-workspace', version: '0.0.0', private: true }, null, 2)}\n`);
  writeFileSync(join(root, '.gitignore'), '.nx/\nnode_modules\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function makeWorkspaces(n, nodeModules) {
  const stages = makePlan(n);
  const pluginFiles = {
    'nx.json': `${JSON.stringify({ plugins: ['nx-stages'] }, null, 2)}\n`,
    'stages/stages.yaml': '# benchmark plan: defaults everywhere\n',
  };
  const baselineFiles = {
    'nx.json': '{}\n',
    'stages/project.json': `${JSON.stringify(
      {
        name: 'stages',
        tags: ['stages-plan'],
        metadata: { description: `Stage plan (${n} stages)` },
        targets: { validate: { executor: 'nx:noop' }, plan: { executor: 'nx:noop' } },
      },
      null,
      2,
    )}\n`,
  };
  for (const stage of stages) {
    const folder = `stages/${stage.id}-${stage.slug}`;
    pluginFiles[`${folder}/stage.yaml`] = stageYaml(stage);
    baselineFiles[`${folder}/project.json`] = `${JSON.stringify(projectJson(stage), null, 2)}\n`;
  }
  const emptyFiles = { ...pluginFiles, ...baselineFiles, 'nx.json': `${JSON.stringify({ plugins: [EMPTY_PLUGIN] }, null, 2)}\n` };
  const plugin = makeWorkspace(`plugin-${n}`, nodeModules, pluginFiles);
  const own = makeWorkspace(`own-${n}`, nodeModules, { ...pluginFiles, 'nx.json': `${JSON.stringify({ plugins: [OWN_PLUGIN] }, null, 2)}\n` });
  const targetProjects = pluginProjects(plugin, nodeModules, stages);
  const targetsFiles = { 'nx.json': '{}\n' };
  for (const [folder, project] of Object.entries(targetProjects)) targetsFiles[`${folder}/project.json`] = `${JSON.stringify(project, null, 2)}\n`;
  return {
    stages,
    targetProjects,
    plugin,
    own,
    baseline: makeWorkspace(`baseline-${n}`, nodeModules, baselineFiles),
    targets: makeWorkspace(`targets-${n}`, nodeModules, targetsFiles),
    empty: makeWorkspace(`empty-${n}`, nodeModules, emptyFiles),
  };
}

/** The installed plugin's projects for the plan in `root`, by folder, as project.json content (edges as implicitDependencies). */
function pluginProjects(root, nodeModules, stages) {
  const require = createRequire(import.meta.url);
  const dist = join(nodeModules, 'nx-stages', 'dist', 'plugin');
  const plan = require(join(dist, 'cached-plan.js')).loadPlanCached(root, 'stages');
  const dependsOn = new Map(stages.map((stage) => [`stage-${stage.id}`, stage.dependsOn.map((id) => `stage-${id}`)]));
  return Object.fromEntries(
    Object.entries(require(join(dist, 'plan-nodes.js')).planProjects(plan)).map(([folder, { root: _root, ...project }]) => [
      folder,
      dependsOn.has(project.name) ? { ...project, implicitDependencies: dependsOn.get(project.name) } : project,
    ]),
  );
}

/** One `nx show projects`; returns milliseconds, the listed projects and stderr. */
function showProjects(root, isolate) {
  const env = baseEnv();
  if (isolate !== undefined) env.NX_ISOLATE_PLUGINS = isolate;
  const started = process.hrtime.bigint();
  const result = run(process.execPath, [nxBin(root), 'show', 'projects'], { cwd: root, env });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    ms,
    projects: result.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .sort(),
    stderr: result.stderr,
  };
}

/**
 * Every run's output is checked against the expected project list: a run that lists the wrong
 * projects did not do the work being timed. Such a run is reported (stdout of this script and
 * the results file), not counted, and repeated (at most twice).
 */
const anomalies = [];
function timedShowProjects(workspaces, which, n, isolate, expected) {
  for (let attempt = 1; ; attempt++) {
    const result = showProjects(workspaces[which], isolate);
    if (JSON.stringify(result.projects) === JSON.stringify(expected)) return result;
    const missing = expected.filter((name) => !result.projects.includes(name));
    const note = `N=${n} ${which} NX_ISOLATE_PLUGINS=${isolate ?? 'unset'}: \`nx show projects\` listed ${result.projects.length} projects instead of ${expected.length} (missing e.g. ${missing.slice(0, 3).join(', ') || '—'})${result.stderr.trim() ? `; stderr: ${result.stderr.trim().slice(0, 300)}` : ''}`;
    anomalies.push(note);
    console.error(`  ANOMALY: ${note}`);
    if (attempt === 3) throw new Error(`giving up: ${note}`);
  }
}

/** Projects (name, root, tags) and edges as Nx sees them, for checking that the workspaces agree. */
function graphShape(root, file) {
  run(process.execPath, [nxBin(root), 'graph', `--file=${file}`], { cwd: root, env: { ...baseEnv(), NX_ISOLATE_PLUGINS: 'false' } });
  const { graph } = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = Object.values(graph.nodes)
    .map((node) => `${node.name} ${node.data.root} ${[...(node.data.tags ?? [])].sort().join(',')}`)
    .sort();
  const edges = Object.values(graph.dependencies)
    .flat()
    .map((edge) => `${edge.source} -> ${edge.target}`)
    .sort();
  return { nodes, edges };
}

function checkSameGraph(workspaces, n) {
  const baseline = graphShape(workspaces.baseline, join(temp, `graph-baseline-${n}.json`));
  for (const which of ['plugin', 'own', 'targets', 'empty']) {
    const shape = graphShape(workspaces[which], join(temp, `graph-${which}-${n}.json`));
    for (const key of ['nodes', 'edges']) {
      const missing = baseline[key].filter((item) => !shape[key].includes(item));
      const extra = shape[key].filter((item) => !baseline[key].includes(item));
      if (missing.length || extra.length) {
        throw new Error(
          `N=${n}: the ${which} workspace's ${key} differ from the baseline's: missing ${missing.slice(0, 5).join('; ') || 'none'}, extra ${extra.slice(0, 5).join('; ') || 'none'}`,
        );
      }
    }
  }
  console.error(`  N=${n}: all five workspaces give the same graph (${baseline.nodes.length} projects, ${baseline.edges.length} edges)`);
}

/**
 * Changes one stage's file, as a user editing the plan does: the plugin's plan cache misses and
 * the edited stage.yaml is parsed again; in the baseline and the empty-plugin workspace Nx
 * re-reads one project.json.
 */
function editOneStage(workspaces, which, i) {
  const stage = workspaces.stages[0];
  const folder = join(workspaces[which], 'stages', `${stage.id}-${stage.slug}`);
  if (which === 'plugin' || which === 'own') writeFileSync(join(folder, 'stage.yaml'), `${stageYaml(stage)}# edit ${i}\n`);
  else if (which === 'targets') {
    const project = workspaces.targetProjects[`stages/${stage.id}-${stage.slug}`];
    writeFileSync(
      join(folder, 'project.json'),
      `${JSON.stringify({ ...project, metadata: { ...project.metadata, description: `${project.metadata.description} (edit ${i})` } }, null, 2)}\n`,
    );
  } else
    writeFileSync(
      join(folder, 'project.json'),
      `${JSON.stringify({ ...projectJson(stage), metadata: { description: `Stage ${stage.id}: ${stage.name} (edit ${i})` } }, null, 2)}\n`,
    );
}

const VARIANTS = ['plugin', 'own', 'baseline', 'targets', 'empty'];

function measure(workspaces, n, isolate, { edit = false } = {}) {
  const label = `${isolate === undefined ? 'unset' : isolate}${edit ? ', one stage file edited before each run' : ''}`;
  // Warm-up: fills Nx's file map and the plugin's plan cache.
  const expected = ['stages', ...workspaces.stages.map((stage) => `stage-${stage.id}`)].sort();
  for (const which of VARIANTS) timedShowProjects(workspaces, which, n, isolate, expected);
  const times = Object.fromEntries(VARIANTS.map((which) => [which, []]));
  for (let i = 0; i < runs; i++) {
    // Each round starts with the next workspace, so none always runs first (or right after another).
    const order = [...VARIANTS.slice(i % VARIANTS.length), ...VARIANTS.slice(0, i % VARIANTS.length)];
    if (Math.floor(i / VARIANTS.length) % 2 === 1) order.reverse();
    for (const which of order) {
      if (edit) editOneStage(workspaces, which, i);
      times[which].push(timedShowProjects(workspaces, which, n, isolate, expected).ms);
    }
  }
  const result = { n, isolate: label, edit, times, ...Object.fromEntries(VARIANTS.map((which) => [which, median(times[which])])) };
  console.error(`  N=${n} NX_ISOLATE_PLUGINS=${label}: ${VARIANTS.map((which) => `${which} ${fmt(result[which])} ms [${times[which].map(fmt).join(', ')}]`).join(', ')}`);
  return result;
}

const fmt = (ms) => ms.toFixed(0);

function report(results, versions, loadAverage) {
  const modes = [...new Set(results.map((result) => result.isolate))];
  const lines = [
    '# nx-stages: project graph cost',
    '',
    `\`nx show projects\` with \`NX_DAEMON=false\`, median of ${runs} runs after one warm-up run, the five workspaces in rotating order.`,
    `Plugin: N stages as \`stage.yaml\` files read by nx-stages. Baseline: the same N+1 projects (names, roots, tags, edges) as plain \`project.json\` files.`,
    "Baseline with targets: the plugin's own output (every project with its targets and metadata) as plain `project.json` files.",
    `Empty plugin: the baseline's \`project.json\` files and the plugin's plan files, plus an installed Nx plugin that matches nx-stages' glob (\`${PLAN_GLOB}\`) and returns no projects: what Nx charges for running any plugin (with isolation: a worker process).`,
    "nx-stages' own work: the plugin workspace with nx-stages wrapped so that its stage projects come back without targets, after nx-stages made them. All of nx-stages' code runs; only Nx's merging of the 6 targets per stage (which Nx charges the same when they are written by hand: baseline with targets) is left out. The goal (issue 12): ≤ 1.15 × baseline with isolation off, ≤ empty plugin under Nx's defaults.",
    'All five workspaces were checked to give the same project graph (`nx graph --file`: names, roots, tags, edges) before timing.',
    'Warm runs: the plugin serves the plan from its cache (keyed by a hash of the plan files). The "edited" rows change one stage file before every run (in the plain workspaces its `project.json`), so the plugin parses that file again and rebuilds the plan, as after a real edit.',
    '',
    `Machine: Node ${process.version}, ${cpus().length} cores, nx ${versions.nx}, @nx/devkit ${versions.devkit}, nx-stages ${versions.plugin}; ${new Date().toISOString().slice(0, 10)}; load average (1 min) ${loadAverage.start.toFixed(2)} before timing, ${loadAverage.end.toFixed(2)} after.`,
    '',
    "| N stages | NX_ISOLATE_PLUGINS | plugin (ms) | nx-stages' own work (ms) | baseline (ms) | baseline with targets (ms) | empty plugin (ms) | plugin / baseline | plugin / baseline with targets | own work / baseline | own work / empty plugin |",
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.n} | ${r.isolate} | ${fmt(r.plugin)} | ${fmt(r.own)} | ${fmt(r.baseline)} | ${fmt(r.targets)} | ${fmt(r.empty)} | ${(r.plugin / r.baseline).toFixed(2)} | ${(r.plugin / r.targets).toFixed(2)} | ${(r.own / r.baseline).toFixed(2)} | ${(r.own / r.empty).toFixed(2)} |`,
    ),
  ];
  if (sizes.length > 1) {
    const [small, large] = [sizes[0], sizes[sizes.length - 1]];
    lines.push(
      '',
      `Growth from N=${small} to N=${large}: extra milliseconds per extra stage (linear cost = the same number at any N).`,
      '',
      `| NX_ISOLATE_PLUGINS | plugin (ms/stage) | baseline (ms/stage) | baseline with targets (ms/stage) | empty plugin (ms/stage) | plugin's own cost (ms/stage) |`,
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const mode of modes) {
      const at = (n) => results.find((r) => r.n === n && r.isolate === mode);
      const growth = (which) => (at(large)[which] - at(small)[which]) / (large - small);
      lines.push(
        `| ${mode} | ${growth('plugin').toFixed(3)} | ${growth('baseline').toFixed(3)} | ${growth('targets').toFixed(3)} | ${growth('empty').toFixed(3)} | ${(growth('plugin') - growth('baseline')).toFixed(3)} |`,
      );
    }
  }
  if (anomalies.length > 0) {
    lines.push('', `Anomalies: ${anomalies.length} run(s) listed the wrong projects and were repeated (not timed):`, '', ...anomalies.map((note) => `- ${note}`));
  }
  lines.push('');
  return lines.join('\n');
}

function main() {
  console.error(`nx-stages graph benchmark: N = ${sizes.join(', ')}, ${runs} runs (temp folder ${temp})`);
  const tarball = packPlugin(temp, run, baseEnv());
  console.error('  installing nx, @nx/devkit and the packed plugin…');
  const nodeModules = installDependencies(tarball);
  const versions = {
    nx: JSON.parse(readFileSync(join(nodeModules, 'nx', 'package.json'), 'utf8')).version,
    devkit: JSON.parse(readFileSync(join(nodeModules, '@nx', 'devkit', 'package.json'), 'utf8')).version,
    plugin: JSON.parse(readFileSync(join(nodeModules, 'nx-stages', 'package.json'), 'utf8')).version,
  };
  const results = [];
  const loadAverage = { start: loadavg()[0] };
  for (const n of sizes) {
    const workspaces = makeWorkspaces(n, nodeModules);
    checkSameGraph(workspaces, n);
    for (const isolate of [undefined, 'false']) results.push(measure(workspaces, n, isolate));
    results.push(measure(workspaces, n, 'false', { edit: true }));
  }
  loadAverage.end = loadavg()[0];
  const markdown = report(results, versions, loadAverage);
  writeResults(join(here, 'results', 'graph.md'), markdown);
}

await runBench(main);
