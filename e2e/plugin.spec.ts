/**
 * End-to-end: the packed plugin installed from its tarball into real Nx workspaces (one per
 * supported Nx version), driven only through the commands a user types. The tests in one
 * version's block build on each other, in order: init → stages → plan → projects and graph →
 * validate → bad input (refused, nothing written) → broken hand-written files.
 *
 * Needs the plugin built (`npm run test:e2e` builds it). Each nx call costs 0.5–2 s, so
 * assertions are grouped per invocation.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mermaidBlock, readStageFiles, stageFile } from './support/plan-files';
import {
  createWorkspace,
  extractJson,
  makeTempRoot,
  NX_VERSIONS,
  packPlugin,
  removeTempRoot,
  runOrThrow,
  SETUP_TIMEOUT,
  STACK_TRACE,
  type RunResult,
  type Workspace,
} from './support/workspace';

jest.setTimeout(60_000);

let tempRoot: string;
let tarball: string;

beforeAll(() => {
  tempRoot = makeTempRoot();
  tarball = packPlugin(tempRoot);
}, SETUP_TIMEOUT);

afterAll(() => removeTempRoot(tempRoot));

it('the tarball carries the README, the reporters and the build, no sources or specs', () => {
  const files = runOrThrow('tar', ['-tzf', tarball], { cwd: tempRoot, env: process.env }).stdout.trim().split('\n');
  expect(files).toEqual(
    expect.arrayContaining(['package/README.md', 'package/package.json', 'package/dist/index.js', 'package/reporters/jest.cjs', 'package/dist/bin/nx-stages.js']),
  );
  expect(files.filter((file) => file.includes('.spec.') || file.startsWith('package/src/'))).toEqual([]);
});

/** The method's example plan (stage framework, feature 9). */
const EXAMPLE = [
  { id: '9.1', args: ['--name=Dashboard UI Components', '--duration=2w', '--priority=P0', '--files=src/web-ui/app/dashboard/**'] },
  { id: '9.2', args: ['--name=Data Visualization Library', '--duration=1w', '--files=src/web-ui/lib/charts/**'] },
  { id: '9.3', args: ['--name=Real-Time WebSocket API', '--duration=2w', '--files=src/api/hubs/**'] },
  { id: '9.4', args: ['--name=Analytics & Reporting', '--duration=1.5w', '--dependsOn=9.1', '--files=src/web-ui/components/analytics/**'] },
];
const UNICODE_NAME = 'Tableau de bord — données 📊';

interface ProjectJson {
  root: string;
  name: string;
  tags?: string[];
  metadata?: { description?: string; [key: string]: unknown };
  targets?: Record<string, { executor?: string; metadata?: { description?: string } }>;
}
interface GraphJson {
  graph: {
    nodes: Record<string, { name: string; data: ProjectJson }>;
    dependencies: Record<string, Array<{ source: string; target: string; type: string }>>;
  };
}
interface ValidationJson {
  planFile: string;
  stageCount: number;
  groups: Record<string, string>;
  checks: Array<{ name: string; problems: Array<{ severity: string; code: string; message: string; file?: string; line?: number }> }>;
  errors: number;
  warnings: number;
}

function expectSuccess(result: RunResult): void {
  if (result.status !== 0) throw new Error(`expected exit 0, got ${result.status}:\n${result.output}`);
}

/** Failed (with `status` when given) with a readable message and without a JS stack trace. */
function expectCleanFailure(result: RunResult, message: RegExp, status?: number): void {
  if (result.status === 0) throw new Error(`expected a failure, got exit 0:\n${result.output}`);
  if (status !== undefined) expect(result.status).toBe(status);
  expect(result.output).toMatch(message);
  expect(result.output).not.toMatch(STACK_TRACE);
}

describe.each(NX_VERSIONS)('nx-stages on $label (nx@$nx, @nx/devkit@$devkit)', (version) => {
  let ws: Workspace;

  beforeAll(() => {
    ws = createWorkspace(tempRoot, version, tarball);
  }, SETUP_TIMEOUT);

  afterAll(() => {
    if (ws) removeTempRoot(ws.root);
  });

  describe('init generator', () => {
    it('registers the plugin, creates stages/stages.yaml and the ignore entries', () => {
      expectSuccess(ws.runNx(['g', 'nx-stages:init']));

      const nxJson = JSON.parse(ws.read('nx.json'));
      expect(nxJson.plugins).toEqual(['nx-stages']);
      expect(ws.exists('stages/stages.yaml')).toBe(true);
      const ignored = ws
        .read('.gitignore')
        .split('\n')
        .map((line) => line.trim());
      expect(ignored).toEqual(expect.arrayContaining(['.nx/', 'node_modules/', '.env.local', 'node_modules']));
    });

    it('is idempotent: a second run changes nothing and keeps the user’s edits', () => {
      ws.write('stages/stages.yaml', `${ws.read('stages/stages.yaml')}\n# edited by the user\n`);
      ws.commitAll('init');

      expectSuccess(ws.runNx(['g', 'nx-stages:init']));

      expect(ws.status()).toBe('');
      expect(JSON.parse(ws.read('nx.json')).plugins).toEqual(['nx-stages']);
      expect(ws.read('stages/stages.yaml')).toContain('# edited by the user');
    });
  });

  describe('stage generator', () => {
    it('scaffolds the method’s example stages 9.1–9.4', () => {
      for (const { id, args } of EXAMPLE) {
        const result = ws.runNx(['g', 'nx-stages:stage', id, ...args]);
        expectSuccess(result);
        expect(result.output).toMatch(new RegExp(`CREATE stages/${id.replace('.', '\\.')}-[a-z0-9-]+/stage\\.yaml`));
      }

      const stages = readStageFiles(ws);
      expect([...stages.keys()].sort()).toEqual(['9.1', '9.2', '9.3', '9.4']);
      expect(stages.get('9.1')!.data).toMatchObject({
        id: '9.1',
        name: 'Dashboard UI Components',
        duration: '2w',
        priority: 'P0',
        dependsOn: [],
        files: ['src/web-ui/app/dashboard/**'],
      });
      expect(stages.get('9.4')!.data).toMatchObject({
        id: '9.4',
        name: 'Analytics & Reporting',
        duration: '1.5w',
        dependsOn: ['9.1'],
        files: ['src/web-ui/components/analytics/**'],
      });
      // `id: 9.1` unquoted would be read back as a number: the generator must quote it.
      expect(ws.read(`${stages.get('9.1')!.folder}/stage.yaml`)).toMatch(/^id: ["']9\.1["']$/m);
      for (const { folder } of stages.values()) expect(ws.exists(`${folder}/README.md`)).toBe(true);
      ws.commitAll('example stages');
    });

    it('warns about file ownership overlapping a stage that may run in parallel (dry run writes nothing)', () => {
      const result = ws.runNx(['g', 'nx-stages:stage', '9.7', '--name=Line Charts', '--files=src/web-ui/lib/charts/line/**', '--dry-run']);

      expectSuccess(result);
      expect(result.output).toMatch(/9\.2 and 9\.7 may run in parallel/);
      expect(result.output).toContain('src/web-ui/lib/charts/**');
      expect(ws.status()).toBe('');
    });
  });

  describe('plan target', () => {
    it('writes stages/PLAN.md with the Mermaid graph, groups, critical path and totals', () => {
      const result = ws.runNx(['run', 'stages:plan']);

      expectSuccess(result);
      const plan = ws.read('stages/PLAN.md');
      expect(plan).toContain('```mermaid');
      const mermaid = mermaidBlock(plan);
      expect(mermaid.filter((line) => line.includes('-->'))).toHaveLength(1); // the only edge: 9.1 → 9.4
      for (const id of ['9.1', '9.2', '9.3', '9.4']) expect(mermaid.join('\n')).toContain(id);
      expect(plan).toContain('17.5d'); // parallel: 9.1 (10d) then 9.4 (7.5d)
      expect(plan).toContain('32.5d'); // sequential: 10 + 5 + 10 + 7.5
      expect(plan).toContain('9.1 → 9.4');
      expect(plan).not.toContain('9.1 → 9.4 →');
      expect(result.output).toContain('9.1 → 9.4');
    });

    it('--teamSize=1 makes the parallel total equal the sequential one', () => {
      const result = ws.runNx(['run', 'stages:plan', '--teamSize=1']);

      expectSuccess(result);
      const teamLines = ws
        .read('stages/PLAN.md')
        .split('\n')
        .filter((line) => /team of 1/.test(line) && /\d+(\.\d+)?d/.test(line));
      expect(teamLines.some((line) => /Parallel/i.test(line) && line.includes('32.5d'))).toBe(true);
      ws.commitAll('plan');
    });
  });

  describe('ids as typed', () => {
    it('keeps 9.10 as "9.10" although Nx’s CLI parses it as the number 9.1', () => {
      const result = ws.runNx(['g', 'nx-stages:stage', '9.10', '--name=Dashboard Polish', '--duration=3d', '--dependsOn=9.2', '--assignee=alice']);

      expectSuccess(result);
      const stage = stageFile(ws, '9.10');
      expect(stage.folder).toMatch(/^stages\/9\.10-/);
      expect(stage.data).toMatchObject({ id: '9.10', dependsOn: ['9.2'], assignee: 'alice', duration: '3d' });
      expect(readStageFiles(ws).get('9.1')!.data.name).toBe('Dashboard UI Components'); // 9.1 untouched
    });

    it('accepts a unicode name with an ASCII folder slug, and keeps --dependsOn=9.10 as typed', () => {
      const result = ws.runNx(['g', 'nx-stages:stage', 'u1', `--name=${UNICODE_NAME}`, '--dependsOn=9.10', '--duration=1d']);

      expectSuccess(result);
      const stage = stageFile(ws, 'u1');
      expect(stage.data).toMatchObject({ id: 'u1', name: UNICODE_NAME, dependsOn: ['9.10'] });
      const folderName = stage.folder.split('/')[1];
      expect(folderName).toMatch(/^u1(-[a-z0-9]+)+$/);
      expect(folderName).toMatch(/tableau-de-bord-donnees/);
      ws.commitAll('9.10 and u1');
    });
  });

  describe('projects and graph', () => {
    it('nx show projects lists the plan project and one project per stage', () => {
      const result = ws.runNx(['show', 'projects', '--json']);

      expectSuccess(result);
      expect(extractJson<string[]>(result.stdout).sort()).toEqual(['stage-9.1', 'stage-9.10', 'stage-9.2', 'stage-9.3', 'stage-9.4', 'stage-u1', 'stages'].sort());
    });

    it('nx show project stage-9.4 has its root, tags and description', () => {
      const result = ws.runNx(['show', 'project', 'stage-9.4', '--json']);

      expectSuccess(result);
      const project = extractJson<ProjectJson>(result.stdout);
      expect(project.root).toBe(stageFile(ws, '9.4').folder);
      expect(project.tags).toEqual(expect.arrayContaining(['stage', 'stage-group:B', 'stage-priority:P1']));
      expect(project.tags!.some((tag) => tag.startsWith('stage-assignee:'))).toBe(false);
      expect(project.metadata?.description).toContain('Analytics & Reporting');
    });

    describe('nx graph --file', () => {
      let graph: GraphJson['graph'];

      beforeAll(() => {
        const file = join(tempRoot, `graph-nx${version.nx}.json`);
        const result = ws.runNx(['graph', `--file=${file}`]);
        expectSuccess(result);
        graph = (JSON.parse(readFileSync(file, 'utf8')) as GraphJson).graph;
      }, SETUP_TIMEOUT);

      it('has group, priority and assignee tags derived from the plan', () => {
        const tags = (name: string) => graph.nodes[name]?.data.tags ?? [];
        for (const name of ['stage-9.1', 'stage-9.2', 'stage-9.3']) expect(tags(name)).toContain('stage-group:A');
        expect(tags('stage-9.4')).toContain('stage-group:B');
        expect(tags('stage-9.10')).toContain('stage-group:B');
        expect(tags('stage-u1')).toContain('stage-group:C');
        expect(tags('stage-9.1')).toContain('stage-priority:P0');
        expect(tags('stage-9.10')).toEqual(expect.arrayContaining(['stage', 'stage-priority:P1', 'stage-assignee:alice']));
        const planTargets = graph.nodes['stages'].data.targets ?? {};
        expect(Object.keys(planTargets)).toEqual(expect.arrayContaining(['validate', 'plan']));
        for (const target of Object.values(planTargets)) expect(target.metadata?.description).toBeTruthy();
      });

      // Regression guard: an earlier build looked projects up by root in createDependencies, but
      // Nx keys `context.projects` by project name, so no dependsOn edge reached the graph.
      it('has an edge from each stage to the stages it depends on', () => {
        const targets = (name: string) => (graph.dependencies[name] ?? []).map((dependency) => dependency.target);
        expect(targets('stage-9.4')).toContain('stage-9.1');
        expect(targets('stage-9.10')).toContain('stage-9.2');
        expect(targets('stage-u1')).toContain('stage-9.10');
        expect(targets('stage-9.1')).toEqual([]);
      });
    });
  });

  describe('validate target', () => {
    it('nx run stages:validate passes on a sound plan', () => {
      const result = ws.runNx(['run', 'stages:validate']);

      expectSuccess(result);
      expect(result.output).toMatch(/\b0 errors\b/);
    });

    it('--json through Nx and through the nx-stages bin give the same report, with 0 errors', () => {
      const viaNx = ws.runNx(['run', 'stages:validate', '--json']);
      const viaBin = ws.runBin(['validate', '--json']);

      expectSuccess(viaNx);
      expectSuccess(viaBin);
      const report = JSON.parse(viaBin.stdout) as ValidationJson; // the bin's stdout is clean JSON
      expect(extractJson<ValidationJson>(viaNx.stdout)).toEqual(report);
      expect(report).toMatchObject({ planFile: 'stages/stages.yaml', stageCount: 6, errors: 0 });
      expect(report.groups).toEqual({ '9.1': 'A', '9.2': 'A', '9.3': 'A', '9.4': 'B', '9.10': 'B', u1: 'C' });

      // --outputFile: the same document in a file, whatever Nx prints around the task.
      const toFile = ws.runNx(['run', 'stages:validate', '--outputFile=tmp/validation.json']);
      expectSuccess(toFile);
      expect(toFile.output).toContain('JSON written to tmp/validation.json');
      expect(JSON.parse(ws.read('tmp/validation.json'))).toEqual(report);
      rmSync(ws.path('tmp'), { recursive: true });
    });
  });

  describe('bad input to the stage generator: refused with a clear message, nothing written', () => {
    let before: string[];

    beforeAll(() => {
      ws.write('y/keep.txt', 'a file `rm -rf y` would delete\n');
      ws.commitAll('before bad input');
      before = ws.files();
    });

    afterEach(() => {
      expect(ws.status()).toBe('');
      expect(ws.files()).toEqual(before);
    });

    it.each([
      ['a path that climbs out', '../x', /id.*"\.\.\/x"/i],
      ['a path', 'a/b', /id.*"a\/b"/i],
      ['shell command substitution', '$(touch x)', /id.*"\$\(touch x\)"/i],
      ['a shell command list', 'x;rm -rf y', /id.*"x;rm -rf y"/i],
      ['a unicode id', 'données', /id.*"données"/i],
      ['an id longer than 64 characters', 'a'.repeat(65), /\b65\b.*\b64\b/],
      ['an empty id', '', /\bid\b/],
    ])('refuses %s (%j)', (_what, id, message) => {
      expectCleanFailure(ws.runNx(['g', 'nx-stages:stage', id, '--name=Bad Id']), message);
    });

    it('ran no shell: no file named x appeared and y is still there', () => {
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.name === '.git') continue;
          if (entry.name === 'x') found.push(join(dir, entry.name));
          if (entry.isDirectory()) walk(join(dir, entry.name));
        }
      };
      walk(tempRoot);
      expect(found).toEqual([]);
      expect(existsSync(join(process.cwd(), 'x'))).toBe(false);
      expect(ws.exists('y/keep.txt')).toBe(true);
    });

    it('refuses a duplicate id, naming the existing file', () => {
      const result = ws.runNx(['g', 'nx-stages:stage', '9.1', '--name=Another Dashboard']);
      expectCleanFailure(result, /already exists/);
      expect(result.output).toContain(`${stageFile(ws, '9.1').folder}/stage.yaml`);
    });

    it('refuses an unknown dependency and names the nearest id', () => {
      expectCleanFailure(ws.runNx(['g', 'nx-stages:stage', '9.5', '--name=Exports', '--dependsOn=9.4x']), /unknown stage "9\.4x".*did you mean "9\.4"/);
    });

    it('refuses a dependency that would close a cycle, printing the cycle', () => {
      // c1 is written by hand and depends on c2, which does not exist yet.
      ws.write('stages/c1-cycle-one/stage.yaml', 'id: c1\nname: Cycle one\nduration: 1w\ndependsOn: [c2]\nvalue: Part one.\n');
      ws.commitAll('c1 depends on a future c2');
      before = ws.files();
      try {
        expectCleanFailure(ws.runNx(['g', 'nx-stages:stage', 'c2', '--name=Cycle two', '--dependsOn=c1']), /c1 → c2 → c1|c2 → c1 → c2/);
        expect(ws.exists('stages/c2-cycle-two')).toBe(false);
      } finally {
        ws.remove('stages/c1-cycle-one');
        ws.commitAll('without c1');
        before = ws.files();
      }
    });

    it('refuses a duration that is not one', () => {
      expectCleanFailure(ws.runNx(['g', 'nx-stages:stage', '9.6', '--name=Someday', '--duration=soon']), /duration/);
    });
  });

  describe('hand-written broken stage files: Nx keeps working, validate names the file and line', () => {
    const PROJECTS = ['stage-9.1', 'stage-9.10', 'stage-9.2', 'stage-9.3', 'stage-9.4', 'stage-u1', 'stages'];
    let written: string[] = [];
    const writeStage = (folder: string, text: string) => {
      ws.write(`stages/${folder}/stage.yaml`, text);
      written.push(`stages/${folder}`);
    };

    afterEach(() => {
      for (const folder of written) ws.remove(folder);
      written = [];
      expect(ws.status()).toBe('');
    });

    it('malformed YAML: the stage is left out with a warning, the others stay, validate fails', () => {
      writeStage('zz-broken', 'id: "zz"\nname: Broken\nduration: 1w\ndependsOn: [9.1\nfiles: [src/zz/**]\n');

      const projects = ws.runNx(['show', 'projects', '--json']);
      expectSuccess(projects);
      expect(extractJson<string[]>(projects.stdout).sort()).toEqual([...PROJECTS].sort());
      expect(projects.output).toMatch(/stages\/zz-broken\/stage\.yaml:\d+/);
      expect(projects.output).not.toMatch(STACK_TRACE);

      const validate = ws.runNx(['run', 'stages:validate']);
      expectCleanFailure(validate, /stages\/zz-broken\/stage\.yaml:\d+(:\d+)?: error: .*YAML/i, 1);

      const json = ws.runBin(['validate', '--json']);
      expect(json.status).toBe(1);
      const report = JSON.parse(json.stdout) as ValidationJson;
      const problems = report.checks.flatMap((check) => check.problems);
      expect(problems).toContainEqual(expect.objectContaining({ severity: 'error', file: 'stages/zz-broken/stage.yaml', line: expect.any(Number) }));
      expect(report.stageCount).toBe(6);
    });

    it('wrong types and a bad id: each stage left out with its file and line, validate fails naming them', () => {
      writeStage('w1', 'id: w1\nname: Wrong dependsOn\nduration: 1w\ndependsOn: 5\n');
      writeStage('w2', 'id: w2\nname: Wrong duration\nduration: soon\n');
      writeStage('w3', 'id: "../evil"\nname: Bad id\nduration: 1w\n');

      const projects = ws.runNx(['show', 'projects', '--json']);
      expectSuccess(projects);
      expect(extractJson<string[]>(projects.stdout).sort()).toEqual([...PROJECTS].sort());
      expect(projects.output).toContain('stages/w1/stage.yaml:4');
      expect(projects.output).toContain('stages/w2/stage.yaml:3');
      expect(projects.output).toContain('stages/w3/stage.yaml:1');

      const validate = ws.runNx(['run', 'stages:validate']);
      expectCleanFailure(validate, /stages\/w1\/stage\.yaml:4: error: .*dependsOn/, 1);
      expect(validate.output).toMatch(/stages\/w2\/stage\.yaml:3: error: .*soon/);
      expect(validate.output).toMatch(/stages\/w3\/stage\.yaml:1: error: .*\.\.\/evil/);
    });

    it('a cycle written by hand: validate prints the path, plan refuses to schedule it', () => {
      writeStage('h1', 'id: "1"\nname: One\nduration: 1w\ndependsOn: ["2"]\nvalue: One.\n');
      writeStage('h2', 'id: "2"\nname: Two\nduration: 1w\ndependsOn: ["1"]\nvalue: Two.\n');

      expectCleanFailure(ws.runNx(['run', 'stages:validate']), /1 → 2 → 1|2 → 1 → 2/, 1);
      const plan = ws.runNx(['run', 'stages:plan']);
      expectCleanFailure(plan, /cycle/i);
      expect(plan.output).toMatch(/1 → 2 → 1|2 → 1 → 2/);
      // PLAN.md is committed: the afterEach status check proves plan did not rewrite it.
    });

    it('an unknown dependency written by hand: validate names the file, line and nearest id', () => {
      writeStage('h3', 'id: h3\nname: Unknown dependency\nduration: 1w\ndependsOn: ["9.4x"]\nvalue: Three.\n');

      expectCleanFailure(ws.runNx(['run', 'stages:validate']), /stages\/h3\/stage\.yaml:4: error: .*unknown stage "9\.4x".*did you mean "9\.4"/, 1);
    });
  });

  describe('plan settings', () => {
    it('names the plan project after `name:` in stages.yaml', () => {
      const original = ws.read('stages/stages.yaml');
      ws.write('stages/stages.yaml', `${original}\nname: roadmap\n`);
      try {
        const projects = ws.runNx(['show', 'projects', '--json']);
        expectSuccess(projects);
        const names = extractJson<string[]>(projects.stdout);
        expect(names).toContain('roadmap');
        expect(names).not.toContain('stages');
        expect(names).toContain('stage-9.1');
        expectSuccess(ws.runNx(['run', 'roadmap:validate']));
      } finally {
        ws.write('stages/stages.yaml', original);
      }
      expect(ws.status()).toBe('');
    });
  });
});
