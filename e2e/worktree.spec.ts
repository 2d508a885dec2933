/**
 * End-to-end: stage worktrees in a real Nx 24 workspace with the packed plugin installed.
 * The workspace has two tiny runnable projects (libs/alpha, libs/beta: `nx:run-commands`
 * running `node test.js`, no test framework to install) and five stages:
 *   1 Alpha feature (libs/alpha/**)   2 Beta feature (libs/beta/**)   3 depends on 1
 *   4 used for the refusals           5 a hostile name: `$(touch pwned)`
 *   6, 7 depend on both 1 and 2 (stacked on two unmerged branches: merged cleanly, then a conflict)
 *
 * Worktrees are created beside the workspace (`../<workspace>-stage-<id>`), so the workspace
 * lives in a temp folder of its own, removed as a whole in afterAll. The tests build on each
 * other, in order (one workspace: an npm install costs more than all the tests together).
 *
 * Needs the plugin built (`npm run test:e2e` builds it). Nx 24 only, to keep CI time down.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { StageStatus } from '../packages/nx-stages/src/core/status-report';
import {
  commitIn,
  createWorkspace,
  expectCleanFailure,
  expectSuccess,
  extractJson,
  findNamed,
  makeTempRoot,
  NX_VERSIONS,
  packPlugin,
  removeTempRoot,
  REPO_ROOT,
  runIn,
  runNxAsync,
  SETUP_TIMEOUT,
  type Workspace,
} from './support/workspace';

jest.setTimeout(120_000);

const NX24 = NX_VERSIONS.find((version) => version.label === 'Nx 24')!;
const HOSTILE_NAME = '$(touch pwned)';

// The JSON shape of `nx-stages status --json` rows (a type only: nothing of the source is loaded).
type StatusRow = StageStatus;

let parent: string;
let ws: Workspace;
/** `<parent>/<workspace>-stage-<id>`: where the default worktreeDir `../{repo}-stage-{id}` puts a stage. */
const worktreeOf = (id: string) => `${ws.root}-stage-${id}`;
const stagesBin = () => join(ws.root, 'node_modules', '.bin', 'nx-stages');
/** git in any folder (a worktree), with the workspace's fixed identity and no user config. */
const gitIn = (cwd: string, args: readonly string[]) => runIn(ws, cwd, 'git', args);

/** What must not change when a command is refused or only dry-run. */
function snapshot() {
  return {
    siblings: readdirSync(parent).sort(),
    branches: ws.git(['branch', '--list', '--format=%(refname:short) %(objectname)']).stdout,
    worktrees: ws.git(['worktree', 'list', '--porcelain']).stdout,
    status: ws.status(),
  };
}

function portOf(worktree: string): number {
  const match = /^PORT=(\d+)$/m.exec(readFileSync(join(worktree, '.env.local'), 'utf8'));
  if (!match) throw new Error(`no PORT= line in ${worktree}/.env.local`);
  return Number(match[1]);
}

const uncommitted = (worktree: string) => gitIn(worktree, ['status', '--porcelain', '--untracked-files=all']).stdout.trim();

/** A project Nx can run without installing anything: `nx run <name>:test` runs `node test.js`. */
function writeProject(name: string): void {
  ws.write(
    `libs/${name}/project.json`,
    `${JSON.stringify(
      {
        name,
        root: `libs/${name}`,
        targets: { test: { executor: 'nx:run-commands', cache: false, options: { command: 'node test.js', cwd: `libs/${name}` } } },
      },
      null,
      2,
    )}\n`,
  );
  ws.write(`libs/${name}/index.js`, `exports.value = '${name} v1';\n`);
  ws.write(
    `libs/${name}/test.js`,
    "const assert = require('assert');\n" + "assert.match(require('./index.js').value, /^\\w+ v\\d+$/);\n" + 'console.log(`tests passed: ${__filename}`);\n',
  );
}

beforeAll(() => {
  parent = makeTempRoot('nx-stages-e2e-worktree-');
  const tarball = packPlugin(parent);
  ws = createWorkspace(parent, NX24, tarball);

  writeProject('alpha');
  writeProject('beta');
  // An ignored .env file, as teams keep local secrets: new worktrees get a copy (copyIgnored).
  ws.write('.gitignore', `${ws.read('.gitignore')}.env\n`);
  ws.write('.env', 'API_KEY=local-secret\n');
  expectSuccess(ws.runNx(['g', 'nx-stages:init']));
  for (const args of [
    ['1', '--name=Alpha feature', '--files=libs/alpha/**'],
    ['2', '--name=Beta feature', '--files=libs/beta/**'],
    ['3', '--name=Alpha follow-up', '--dependsOn=1', '--files=libs/alpha/extra/**'],
    ['4', '--name=Refusals', '--files=libs/gamma/**'],
    ['5', `--name=${HOSTILE_NAME}`, '--files=libs/delta/**'],
    ['6', '--name=Conflicting integration', '--dependsOn=1,2', '--files=libs/epsilon/**'],
    ['7', '--name=Integration', '--dependsOn=1,2', '--files=libs/zeta/**'],
  ]) {
    expectSuccess(ws.runNx(['g', 'nx-stages:stage', ...args]));
  }
  ws.commitAll('two projects and stages 1–7');
}, SETUP_TIMEOUT);

afterAll(() => removeTempRoot(parent));

describe('nx g nx-stages:worktree on Nx 24: two stages in parallel worktrees', () => {
  it('creates stages 1 and 2 at the same time: both succeed, distinct ports, both registered, both clean', async () => {
    const [one, two] = await Promise.all([runNxAsync(ws, ['g', 'nx-stages:worktree', '1']), runNxAsync(ws, ['g', 'nx-stages:worktree', '2'])]);

    expectSuccess(one);
    expectSuccess(two);
    const ports = [portOf(worktreeOf('1')), portOf(worktreeOf('2'))];
    expect(ports[0]).not.toBe(ports[1]);
    expect([...ports].sort()).toEqual([4310, 4320]);

    const list = ws.git(['worktree', 'list', '--porcelain']).stdout;
    for (const id of ['1', '2']) {
      expect(list).toContain(`worktree ${worktreeOf(id)}\n`);
      expect(list).toContain(`branch refs/heads/stage-${id}\n`);
      expect(uncommitted(worktreeOf(id))).toBe('');
      const env = readFileSync(join(worktreeOf(id), '.env.local'), 'utf8');
      expect(env).toMatch(new RegExp(`^STAGE_ID=['"]?${id}['"]?$`, 'm'));
      expect(env).toMatch(new RegExp(`^STAGE_BRANCH=['"]?stage-${id}['"]?$`, 'm'));
      // node_modules is a folder of links to the main checkout's packages, not a copy; the ignored .env was copied.
      const modules = join(worktreeOf(id), 'node_modules');
      expect(lstatSync(modules).isDirectory()).toBe(true);
      expect(lstatSync(join(modules, 'nx')).isSymbolicLink()).toBe(true);
      expect(realpathSync(join(modules, 'nx'))).toBe(realpathSync(ws.path('node_modules/nx')));
      expect(readFileSync(join(worktreeOf(id), '.env'), 'utf8')).toBe('API_KEY=local-secret\n');
    }
    expect(readFileSync(join(worktreeOf('1'), '.env.local'), 'utf8')).toMatch(/^STAGE_NAME='Alpha feature'$/m);
    expect(ws.status()).toBe('');
  });

  it('runs the projects’ tests inside each worktree through the linked node_modules', () => {
    for (const id of ['1', '2']) {
      const result = runIn(ws, worktreeOf(id), 'npx', ['nx', 'run-many', '-t', 'test', '--output-style=static']);

      expectSuccess(result);
      // The test files that ran are the worktree's own, not the main checkout's.
      expect(result.output).toContain(`tests passed: ${join(worktreeOf(id), 'libs', 'alpha', 'test.js')}`);
      expect(result.output).toContain(`tests passed: ${join(worktreeOf(id), 'libs', 'beta', 'test.js')}`);
      expect(result.output).not.toContain(`tests passed: ${ws.path('libs')}`);
      expect(uncommitted(worktreeOf(id))).toBe('');
    }
  });

  it('nx show projects inside a worktree lists each project once, the same as the main checkout', () => {
    const main = ws.runNx(['show', 'projects', '--json']);
    const inWorktree = runIn(ws, worktreeOf('1'), 'npx', ['nx', 'show', 'projects', '--json']);

    expectSuccess(main);
    expectSuccess(inWorktree);
    const names = extractJson<string[]>(inWorktree.stdout);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(extractJson<string[]>(main.stdout).sort());
    expect(names).toEqual(expect.arrayContaining(['alpha', 'beta', 'stages', 'stage-1', 'stage-2', 'stage-3']));
  });

  it('npx nx-stages go 1 prints exactly the path of stage 1’s worktree, from any checkout', () => {
    const fromMain = ws.runBin(['go', '1']);
    const fromStage2 = runIn(ws, worktreeOf('2'), stagesBin(), ['go', '1']);

    expectSuccess(fromMain);
    expectSuccess(fromStage2);
    expect(fromMain.stdout).toBe(`${realpathSync(worktreeOf('1'))}\n`);
    expect(fromStage2.stdout).toBe(fromMain.stdout);

    const none = ws.runBin(['go', '4']);
    expect(none.status).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/stage 4 has no worktree/);
  });
});

describe('a stage whose dependency is not merged', () => {
  it('is refused while 1 is not merged, naming 1 and suggesting --stack; nothing is created', () => {
    const before = snapshot();

    const result = ws.runNx(['g', 'nx-stages:worktree', '3']);

    expectCleanFailure(result, /depends on 1\b/);
    expect(result.output).toContain('--stack');
    expect(snapshot()).toEqual(before);
    expect(existsSync(worktreeOf('3'))).toBe(false);
    expect(ws.git(['branch', '--list', 'stage-3']).stdout.trim()).toBe('');
  });

  it('--dry-run prints the plan and creates nothing', () => {
    const before = snapshot();

    const result = ws.runNx(['g', 'nx-stages:worktree', '3', '--stack', '--dry-run']);

    expectSuccess(result);
    expect(result.output).toContain('stage-3');
    expect(result.output).toContain(basename(worktreeOf('3')));
    expect(snapshot()).toEqual(before);
    expect(existsSync(worktreeOf('3'))).toBe(false);
  });

  it('--stack builds on stage 1’s branch: its worktree has stage 1’s committed change', () => {
    const one = worktreeOf('1');
    writeFileSync(join(one, 'libs', 'alpha', 'index.js'), "exports.value = 'alpha v2';\n");
    expectSuccess(gitIn(one, ['commit', '-q', '--no-verify', '-am', 'alpha v2']));
    const stageOneTip = gitIn(one, ['rev-parse', 'HEAD']).stdout.trim();

    const result = ws.runNx(['g', 'nx-stages:worktree', '3', '--stack']);

    expectSuccess(result);
    const three = worktreeOf('3');
    expect(readFileSync(join(three, 'libs', 'alpha', 'index.js'), 'utf8')).toBe("exports.value = 'alpha v2';\n");
    expect(gitIn(three, ['rev-parse', 'HEAD']).stdout.trim()).toBe(stageOneTip);
    expect(gitIn(three, ['branch', '--show-current']).stdout.trim()).toBe('stage-3');
    expect(portOf(three)).toBe(4330);
    expect(uncommitted(three)).toBe('');
    expect(ws.status()).toBe('');
  });
});

describe('status', () => {
  beforeAll(() => {
    // Stage 1 is one commit ahead (the --stack test); stage 2 gets a changed and a new file.
    writeFileSync(join(worktreeOf('2'), 'libs', 'beta', 'index.js'), "exports.value = 'beta v2';\n");
    writeFileSync(join(worktreeOf('2'), 'libs', 'beta', 'notes.txt'), 'work in progress\n');
  });

  it('npx nx-stages status --json reports worktrees, ahead counts and uncommitted files', () => {
    const result = ws.runBin(['status', '--json']);

    expectSuccess(result);
    const report = JSON.parse(result.stdout) as { base: string; stages: StatusRow[] }; // clean JSON on stdout
    expect(report.base).toBe('main');
    const row = (id: string) => report.stages.find((stage) => stage.id === id)!;
    expect(report.stages.map((stage) => stage.id).sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const sibling = (id: string) => `../${basename(worktreeOf(id))}`;
    expect(row('1')).toMatchObject({ branch: 'stage-1', branchExists: true, worktree: sibling('1'), ahead: 1, behind: 0, uncommitted: 0, merged: false });
    expect(row('2')).toMatchObject({ branch: 'stage-2', branchExists: true, worktree: sibling('2'), ahead: 0, behind: 0, uncommitted: 2, merged: false });
    expect(row('3')).toMatchObject({ branch: 'stage-3', branchExists: true, worktree: sibling('3'), ahead: 1, behind: 0, uncommitted: 0, merged: false, dependsOn: ['1'] });
    expect(row('4')).toMatchObject({ branchExists: false, worktree: null, ahead: null, behind: null, uncommitted: null, merged: false, diskBytes: null });
    // A linked node_modules costs no disk: a worktree is its few sources (plus Nx's workspace data).
    for (const id of ['1', '2', '3']) {
      expect(row(id).diskBytes).toBeGreaterThan(0);
      expect(row(id).diskBytes).toBeLessThan(20 * 1024 * 1024);
    }
  });

  it('nx run stages:status prints a table with a row per stage', () => {
    const result = ws.runNx(['run', 'stages:status']);

    expectSuccess(result);
    const lines = result.output.split('\n');
    const rowOf = (id: string, name: string) => lines.find((line) => line.includes(`${id} ${name}`));
    expect(rowOf('1', 'Alpha feature')).toMatch(/stage-1.*↑1 ↓0.*clean/);
    expect(rowOf('2', 'Beta feature')).toMatch(/stage-2.*↑0 ↓0.*2 files/);
    expect(rowOf('3', 'Alpha follow-up')).toMatch(/stage-3.*↑1 ↓0/);
    expect(rowOf('4', 'Refusals')).toBeDefined();
    expect(result.output).toMatch(/7 stages · 3 with a worktree · 0 merged into main/);
  });
});

describe('--stack on several unmerged dependencies', () => {
  it('starts on the first dependency’s branch and merges the others: stage 7 has both 1’s and 2’s work', () => {
    // Stage 2 commits the work left uncommitted for the status tests.
    expectSuccess(gitIn(worktreeOf('2'), ['add', '-A']));
    expectSuccess(gitIn(worktreeOf('2'), ['commit', '-q', '--no-verify', '-m', 'beta v2']));

    const result = ws.runNx(['g', 'nx-stages:worktree', '7', '--stack']);

    expectSuccess(result);
    const seven = worktreeOf('7');
    expect(readFileSync(join(seven, 'libs', 'alpha', 'index.js'), 'utf8')).toBe("exports.value = 'alpha v2';\n");
    expect(readFileSync(join(seven, 'libs', 'beta', 'index.js'), 'utf8')).toBe("exports.value = 'beta v2';\n");
    expect(readFileSync(join(seven, 'libs', 'beta', 'notes.txt'), 'utf8')).toBe('work in progress\n');
    for (const id of ['1', '2']) expectSuccess(gitIn(seven, ['merge-base', '--is-ancestor', `stage-${id}`, 'HEAD']));
    expect(uncommitted(seven)).toBe('');
  });

  it('a conflict between the dependencies aborts and leaves nothing behind', () => {
    commitIn(ws, worktreeOf('1'), { 'libs/shared/config.txt': 'mode=alpha\n' }, 'alpha config');
    commitIn(ws, worktreeOf('2'), { 'libs/shared/config.txt': 'mode=beta\n' }, 'beta config');
    const before = snapshot();

    const result = ws.runNx(['g', 'nx-stages:worktree', '6', '--stack']);

    expectCleanFailure(result, /conflict/i);
    expect(snapshot()).toEqual(before); // no stage-6 branch, stage-1 and stage-2 unmoved, no folder, no worktree
    expect(existsSync(worktreeOf('6'))).toBe(false);
    for (const id of ['1', '2']) expect(uncommitted(worktreeOf(id))).toBe('');
  });
});

describe('data safety', () => {
  it('refuses a worktree folder that already exists and is not empty, leaving its content untouched', () => {
    const occupied = worktreeOf('4');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'keep.txt'), 'somebody’s work\n');
    const before = snapshot();

    const result = ws.runNx(['g', 'nx-stages:worktree', '4']);

    expectCleanFailure(result, /already exists and is not empty/);
    expect(result.output).toContain(basename(occupied));
    expect(readdirSync(occupied)).toEqual(['keep.txt']);
    expect(readFileSync(join(occupied, 'keep.txt'), 'utf8')).toBe('somebody’s work\n');
    expect(snapshot()).toEqual(before);
    expect(ws.git(['branch', '--list', 'stage-4']).stdout.trim()).toBe('');
    rmSync(occupied, { recursive: true }); // the folder this test made
  });

  it('refuses a stage branch checked out in another worktree, keeping the branch and that worktree', () => {
    const elsewhere = join(parent, 'elsewhere');
    expectSuccess(ws.git(['worktree', 'add', '-q', '-b', 'stage-4', elsewhere, 'main']));
    const before = snapshot();

    const result = ws.runNx(['g', 'nx-stages:worktree', '4']);

    expectCleanFailure(result, /already checked out/);
    expect(result.output).toContain(elsewhere);
    expect(snapshot()).toEqual(before); // stage-4 kept at the same commit, same worktrees, same folders
    expect(existsSync(worktreeOf('4'))).toBe(false);
    expect(gitIn(elsewhere, ['branch', '--show-current']).stdout.trim()).toBe('stage-4');
  });

  it('writes a hostile stage name literally into .env.local and runs no shell', () => {
    const result = ws.runNx(['g', 'nx-stages:worktree', '5']);

    expectSuccess(result);
    const envLocal = readFileSync(join(worktreeOf('5'), '.env.local'), 'utf8');
    expect(envLocal).toMatch(/^STAGE_NAME='\$\(touch pwned\)'$/m);
    // A shell that sources the file (as `set -a; . ./.env.local` does) reads the name back literally.
    const sourced = runIn(ws, worktreeOf('5'), 'bash', ['-c', 'set -a; . ./.env.local; printf %s "$STAGE_NAME"']);
    expectSuccess(sourced);
    expect(sourced.stdout).toBe(HOSTILE_NAME);

    expect(findNamed(parent, 'pwned')).toEqual([]);
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
    expect(existsSync(join(REPO_ROOT, 'pwned'))).toBe(false);
    expect(existsSync(join(dirname(parent), 'pwned'))).toBe(false);
  });
});

describe('sync and clean through Nx, alongside worktree creation', () => {
  beforeAll(() => {
    expectSuccess(ws.runNx(['g', 'nx-stages:stage', '8', '--name=Eta', '--files=libs/eta/**']));
    expectSuccess(ws.runNx(['g', 'nx-stages:stage', '9', '--name=Theta', '--files=libs/theta/**']));
    ws.commitAll('stages 8 and 9');
    ws.write('docs/news.md', 'news on main\n');
    ws.commitAll('news on main');
  });

  it('two worktree creations and a run-many -t sync at the same time all succeed', async () => {
    const portsBefore = ['1', '2'].map((id) => portOf(worktreeOf(id)));
    const [eight, nine, sync] = await Promise.all([
      runNxAsync(ws, ['g', 'nx-stages:worktree', '8']),
      runNxAsync(ws, ['g', 'nx-stages:worktree', '9']),
      runNxAsync(ws, ['run-many', '-t', 'sync', '--projects=stage-1,stage-7', '--parallel=2', '--outputStyle=static']),
    ]);
    for (const result of [eight, nine, sync]) expectSuccess(result);
    const ports = [portOf(worktreeOf('8')), portOf(worktreeOf('9'))];
    expect(new Set([...ports, ...portsBefore]).size).toBe(4);
    // The base is now in both synced stage branches.
    for (const branch of ['stage-1', 'stage-7']) expect(ws.git(['merge-base', '--is-ancestor', 'main', branch]).status).toBe(0);
  });

  it('a sync conflict aborts, names the file and leaves the stage branch and worktree as they were', () => {
    const eight = worktreeOf('8');
    writeFileSync(join(eight, 'docs-shared.md'), 'stage 8 wording\n');
    expectSuccess(gitIn(eight, ['add', '-A']));
    expectSuccess(gitIn(eight, ['commit', '-q', '--no-verify', '-m', 'stage 8 wording']));
    ws.write('docs-shared.md', 'main wording\n');
    ws.commitAll('main wording');
    const head = gitIn(eight, ['rev-parse', 'HEAD']).stdout.trim();

    expectCleanFailure(ws.runNx(['run', 'stage-8:sync']), /docs-shared\.md/);
    expect(gitIn(eight, ['rev-parse', 'HEAD']).stdout.trim()).toBe(head);
    expect(uncommitted(eight)).toBe('');
    expect(existsSync(join(eight, '.git'))).toBe(true);
    expect(gitIn(eight, ['rev-parse', '-q', '--verify', 'MERGE_HEAD']).status).not.toBe(0);
  });

  it('clean removes the worktree of a merged stage only; --dryRun changes nothing', () => {
    const nine = worktreeOf('9');
    mkdirSync(join(nine, 'libs', 'theta'), { recursive: true });
    writeFileSync(join(nine, 'libs', 'theta', 'index.js'), "exports.value = 'theta v1';\n");
    expectSuccess(gitIn(nine, ['add', '-A']));
    expectSuccess(gitIn(nine, ['commit', '-q', '--no-verify', '-m', 'theta']));
    expectSuccess(ws.git(['merge', '-q', '--no-ff', '-m', 'Merge Stage 9: Theta', 'stage-9']));

    const before = snapshot();
    const dryRun = ws.runNx(['run', 'stages:clean', '--dryRun']);
    expectSuccess(dryRun);
    expect(dryRun.output).toMatch(/would remove stage 9: worktree/);
    expect(snapshot()).toEqual(before);

    expectSuccess(ws.runNx(['run', 'stages:clean']));
    expect(existsSync(nine)).toBe(false);
    expect(existsSync(worktreeOf('8'))).toBe(true);
    expect(existsSync(worktreeOf('1'))).toBe(true);
    expect(ws.git(['branch', '--list', 'stage-9']).stdout.trim()).not.toBe('');
    // The main checkout's node_modules, linked into the removed worktree, is intact.
    expect(existsSync(join(ws.root, 'node_modules', 'nx', 'package.json'))).toBe(true);
  });
});

describe('npm workspaces: a stage worktree imports its own packages, not the main checkout’s', () => {
  beforeAll(() => {
    // libs/* become npm workspace packages; omega imports alpha by its package name, which npm
    // resolves through the link it makes: node_modules/@e2e/alpha -> ../../libs/alpha.
    const manifest = JSON.parse(ws.read('package.json'));
    ws.write('package.json', `${JSON.stringify({ ...manifest, workspaces: ['libs/*'] }, null, 2)}\n`);
    ws.write('libs/alpha/package.json', '{ "name": "@e2e/alpha", "version": "0.0.0", "main": "index.js" }\n');
    ws.write('libs/omega/package.json', '{ "name": "@e2e/omega", "version": "0.0.0", "dependencies": { "@e2e/alpha": "*" } }\n');
    ws.write(
      'libs/omega/project.json',
      `${JSON.stringify(
        {
          name: 'omega',
          root: 'libs/omega',
          targets: { test: { executor: 'nx:run-commands', cache: false, options: { command: 'node test.js', cwd: 'libs/omega' } } },
        },
        null,
        2,
      )}\n`,
    );
    ws.write('libs/omega/test.js', "console.log(`omega imports ${require('@e2e/alpha').value}`);\n");
    expectSuccess(runIn(ws, ws.root, 'npm', ['install', '--prefer-offline']));
    expectSuccess(ws.runNx(['g', 'nx-stages:stage', '10', '--name=Alpha v10', '--files=libs/alpha/**']));
    ws.commitAll('npm workspaces; omega imports alpha; stage 10');
  }, SETUP_TIMEOUT);

  it('runs omega’s test in stage 10’s worktree against stage 10’s alpha, and main’s against main’s', () => {
    expect(lstatSync(ws.path('node_modules/@e2e/alpha')).isSymbolicLink()).toBe(true);
    // The bin verb: the same creation without Nx's start-up; stdout is only the path, for cd "$(…)".
    const created = ws.runBin(['worktree', '10']);
    expectSuccess(created);
    const ten = worktreeOf('10');
    expect(created.stdout).toBe(`${realpathSync(ten)}\n`);
    expect(created.stderr).toContain('Stage 10 (Alpha v10): branch stage-10');
    writeFileSync(join(ten, 'libs', 'alpha', 'index.js'), "exports.value = 'alpha v10';\n");
    expectSuccess(gitIn(ten, ['commit', '-q', '--no-verify', '-am', 'alpha v10']));

    const inStage = runIn(ws, ten, 'npx', ['nx', 'run', 'omega:test', '--output-style=static']);
    const inMain = ws.runNx(['run', 'omega:test', '--output-style=static']);

    expectSuccess(inStage);
    expectSuccess(inMain);
    expect(inStage.output).toContain('omega imports alpha v10');
    expect(inMain.output).toContain('omega imports alpha v1\n');
    expect(realpathSync(join(ten, 'node_modules', '@e2e', 'alpha'))).toBe(realpathSync(join(ten, 'libs', 'alpha')));
    // The main checkout's own link is untouched, and nothing shows up as a change in either checkout.
    expect(realpathSync(ws.path('node_modules/@e2e/alpha'))).toBe(realpathSync(ws.path('libs/alpha')));
    expect(uncommitted(ten)).toBe('');
    expect(ws.status()).toBe('');
  });
});
