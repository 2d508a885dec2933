import { logger, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { FsTree } from 'nx/src/generators/tree';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { commitFile, createRepo, git, makeTempDir, useTempRepos } from '../../git/test-support/temp-repo';
import { initGenerator } from '../init/generator';
import { stageGenerator } from '../stage/generator';
import { ciGenerator, DEFAULT_WORKFLOW } from './generator';

interface Workflow {
  on: { push: { branches: string[] }; pull_request: { branches: string[] } };
  jobs: Record<string, { name: string; needs?: string[]; steps: Array<{ name: string; uses?: string; run?: string; with?: Record<string, unknown> }> }>;
}

describe('ci generator', () => {
  let tree: Tree;
  const workflow = (path = DEFAULT_WORKFLOW) => parse(tree.read(path, 'utf-8') ?? '') as Workflow;
  const runs = (path?: string) => Object.values(workflow(path).jobs).flatMap((job) => job.steps.map((step) => step.uses ?? step.run));

  beforeEach(async () => {
    tree = createTreeWithEmptyWorkspace();
    await initGenerator(tree, {});
    tree.write('stages/stages.yaml', 'baseBranch: main\n');
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  async function addDashboardStages(): Promise<void> {
    await stageGenerator(tree, { id: '9.1', name: 'Dashboard UI' });
    await stageGenerator(tree, { id: '9.2', name: 'Charts' });
    await stageGenerator(tree, { id: '9.4', name: 'Analytics', dependsOn: '9.1,9.2' });
  }

  it('writes a workflow that parses, with one job per stage and needs following dependsOn', async () => {
    await addDashboardStages();
    await ciGenerator(tree, {});
    const { on, jobs } = workflow();
    expect(on.push.branches).toEqual(['stage-*']);
    expect(on.pull_request.branches).toEqual(['main']);
    expect(Object.keys(jobs)).toEqual(['stage-9_1', 'stage-9_2', 'stage-9_4']);
    expect(jobs['stage-9_4']).toMatchObject({ name: 'Stage 9.4: Analytics', needs: ['stage-9_1', 'stage-9_2'] });
    expect(logger.info).toHaveBeenCalledWith(expect.stringContaining(`${DEFAULT_WORKFLOW}: 3 stage jobs, pull requests to main, npm`));
  });

  it('rewrites the file when run again: the same text for the same plan, new jobs for new stages', async () => {
    await addDashboardStages();
    await ciGenerator(tree, {});
    const first = tree.read(DEFAULT_WORKFLOW, 'utf-8');
    await ciGenerator(tree, {});
    expect(tree.read(DEFAULT_WORKFLOW, 'utf-8')).toBe(first);
    await stageGenerator(tree, { id: '9.5', name: 'Rollout', dependsOn: '9.4' });
    await ciGenerator(tree, {});
    expect(workflow().jobs['stage-9_5'].needs).toEqual(['stage-9_4']);
  });

  it('writes where --path says, with the options given', async () => {
    await addDashboardStages();
    await ciGenerator(tree, { path: '.github/workflows/gates.yaml', base: 'develop', nodeVersion: '22', runsOn: 'self-hosted, linux' });
    expect(tree.exists(DEFAULT_WORKFLOW)).toBe(false);
    const { on, jobs } = workflow('.github/workflows/gates.yaml');
    expect(on.pull_request.branches).toEqual(['develop']);
    expect(jobs['stage-9_1']).toMatchObject({ 'runs-on': ['self-hosted', 'linux'] });
    expect(jobs['stage-9_1'].steps.find((step) => step.uses === 'actions/setup-node@v4')?.with).toMatchObject({ 'node-version': '22' });
  });

  it('keeps the version typed when yargs read it as a number', async () => {
    await addDashboardStages();
    const argv = process.argv;
    process.argv = ['node', 'nx', 'g', 'nx-stages:ci', '--nodeVersion=20.10'];
    try {
      await ciGenerator(tree, { nodeVersion: 20.1 as unknown as string });
    } finally {
      process.argv = argv;
    }
    expect(tree.read(DEFAULT_WORKFLOW, 'utf-8')).toContain('node-version: "20.10"');
  });

  it('sets up the package manager the lock file names', async () => {
    await addDashboardStages();
    tree.write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
    await ciGenerator(tree, {});
    expect(runs()).toEqual(expect.arrayContaining(['pnpm/action-setup@v4', 'pnpm install --frozen-lockfile']));
    tree.delete('pnpm-lock.yaml');
    tree.write('yarn.lock', '');
    tree.write('.yarnrc.yml', 'nodeLinker: node-modules\n');
    await ciGenerator(tree, {});
    expect(runs()).toEqual(expect.arrayContaining(['corepack enable', 'yarn install --immutable']));
    tree.delete('yarn.lock');
    tree.delete('.yarnrc.yml');
    tree.write('package-lock.json', '{}');
    await ciGenerator(tree, {});
    expect(runs()).toContain('npm ci');
  });

  it('keeps hostile stage names out of the workflow’s syntax and expressions', async () => {
    tree.write('stages/1-evil/stage.yaml', 'id: "1"\nname: "Evil: #1 \\"q\\" \'s ${{ secrets.NPM_TOKEN }} - [x]: {y}"\nduration: 1w\n');
    await ciGenerator(tree, {});
    const text = tree.read(DEFAULT_WORKFLOW, 'utf-8')!;
    expect(workflow().jobs['stage-1'].name).toBe('Stage 1: Evil: #1 "q" \'s $ {{ secrets.NPM_TOKEN }} - [x]: {y}');
    expect(text).not.toContain('${{ secrets');
  });

  it('says which stage files get no job because they are broken', async () => {
    await addDashboardStages();
    tree.write('stages/7-broken/stage.yaml', 'id: "7"\nduration: soon\n');
    await ciGenerator(tree, {});
    expect(Object.keys(workflow().jobs)).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('stages/7-broken/stage.yaml'));
  });

  describe('refuses, writing nothing', () => {
    it('an empty plan', async () => {
      await expect(ciGenerator(tree, {})).rejects.toThrow(/has no stages, so there is nothing for CI to run.*nx g nx-stages:stage/);
      expect(tree.exists(DEFAULT_WORKFLOW)).toBe(false);
    });

    it('a missing plan', async () => {
      await expect(ciGenerator(tree, { plan: 'elsewhere' })).rejects.toThrow('No plan at elsewhere/stages.yaml');
    });

    it.each(['../ci.yml', '/tmp/ci.yml', '.github/workflows/ci.txt'])('the path %s', async (path) => {
      await addDashboardStages();
      await expect(ciGenerator(tree, { path })).rejects.toThrow('must be a .yml file inside the workspace');
    });

    it('a dependency cycle', async () => {
      tree.write('stages/1-a/stage.yaml', 'id: "1"\nname: A\nduration: 1w\ndependsOn: ["2"]\n');
      tree.write('stages/2-b/stage.yaml', 'id: "2"\nname: B\nduration: 1w\ndependsOn: ["1"]\n');
      await expect(ciGenerator(tree, {})).rejects.toThrow('dependency cycle (1 → 2 → 1)');
      expect(tree.exists(DEFAULT_WORKFLOW)).toBe(false);
    });

    it('a base branch that is not a branch name, or that GitHub would evaluate', async () => {
      await addDashboardStages();
      await expect(ciGenerator(tree, { base: 'a..b' })).rejects.toThrow('Invalid base branch "a..b" (from --base)');
      await expect(ciGenerator(tree, { base: 'x}}' })).rejects.toThrow('GitHub Actions reads as an expression');
      expect(tree.exists(DEFAULT_WORKFLOW)).toBe(false);
    });
  });
});

describe('ci generator on a real repository', () => {
  useTempRepos();
  beforeEach(() => jest.spyOn(logger, 'info').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  function workspace(branch: string): string {
    const root = createRepo({ branch });
    mkdirSync(join(root, 'stages', '1-one'), { recursive: true });
    writeFileSync(join(root, 'stages', 'stages.yaml'), '');
    writeFileSync(join(root, 'stages', '1-one', 'stage.yaml'), 'id: "1"\nname: One\nduration: 1w\n');
    return root;
  }

  it('detects the base branch from git when the plan names none', async () => {
    const tree = new FsTree(workspace('master'), false);
    await ciGenerator(tree, {});
    expect((parse(tree.read(DEFAULT_WORKFLOW, 'utf-8')!) as Workflow).on.pull_request.branches).toEqual(['master']);
  });

  it("re-measures a proof that is the branch's last commit, in a checkout as CI has it (the base only as origin/<base>)", async () => {
    const root = workspace('main');
    const tree = new FsTree(root, false);
    await ciGenerator(tree, {});
    const job = (
      parse(tree.read(DEFAULT_WORKFLOW, 'utf-8')!) as {
        jobs: Record<string, { env: Record<string, string>; steps: Array<{ name: string; run?: string; env?: Record<string, string> }> }>;
      }
    ).jobs['stage-1'];
    const step = job.steps.find((entry) => entry.name === 'Re-measure the proof of stage 1')!;
    // An `npx` that only records what it was asked to run.
    const bin = makeTempDir();
    const record = join(bin, 'ran');
    writeFileSync(join(bin, 'npx'), `#!/bin/sh\nprintf '%s ' "$@" > '${record}'\n`);
    chmodSync(join(bin, 'npx'), 0o755);
    const runStep = () => {
      writeFileSync(record, '');
      const said = execFileSync('bash', ['-e', '-c', step.run!], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ...job.env, ...step.env, PATH: `${bin}:${process.env.PATH}` },
      });
      return { said, ran: readFileSync(record, 'utf8').trim() };
    };
    git(root, ['switch', '-q', '-c', 'stage-1']);
    git(root, ['update-ref', 'refs/remotes/origin/main', 'main']);
    git(root, ['branch', '-q', '-D', 'main']);
    commitFile(root, 'src/app.js', 'work\n', 'work');
    expect(runStep()).toEqual({ said: expect.stringContaining('::notice title=No proof to re-measure::'), ran: '' });

    commitFile(root, 'stage-proofs/stage-1/proof.json', '{}\n', 'Stage 1 Complete: One');
    expect(runStep()).toMatchObject({ ran: 'nx run stage-1:verify --remeasure' });
    // The proof names its base by the local name: there now, at origin's commit.
    expect(git(root, ['rev-parse', 'main'])).toBe(git(root, ['rev-parse', 'origin/main']));

    commitFile(root, 'src/app.js', 'more work\n', 'work after the proof');
    expect(runStep().ran).toBe('');
  });

  it('asks for a base branch when git cannot tell', async () => {
    const tree = new FsTree(workspace('trunk'), false);
    await expect(ciGenerator(tree, {})).rejects.toThrow('Set baseBranch in stages/stages.yaml, or pass --base=<branch>');
    expect(tree.exists(DEFAULT_WORKFLOW)).toBe(false);
  });
});
