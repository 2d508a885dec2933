import type { ExecutorContext } from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitFile, createRepo, git, useTempRepos } from '../../git/test-support/temp-repo';
import conflictsExecutor from './executor';

useTempRepos();

/** What Nx hands the executor of the plan project `stages` (only the fields it reads). */
function planContext(root: string): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'stages',
    projectsConfigurations: { version: 2, projects: { stages: { root: 'stages' } } },
  } as unknown as ExecutorContext;
}

/** A workspace whose plan on disk has two parallel stages; both branches edit line 1 of shared.txt. */
function workspaceWithClash(): string {
  const root = createRepo();
  commitFile(root, 'stages/stages.yaml', '', 'plan');
  commitFile(root, 'stages/1-one/stage.yaml', 'id: "1"\nname: One\nduration: 1w\nfiles: [one/**]\n', 'stage 1');
  commitFile(root, 'stages/2-two/stage.yaml', 'id: "2"\nname: Two\nduration: 1w\nfiles: [two/**]\n', 'stage 2');
  commitFile(root, 'shared.txt', 'line\n', 'shared');
  for (const id of ['1', '2']) {
    git(root, ['checkout', '--quiet', '-b', `stage-${id}`, 'main']);
    commitFile(root, 'shared.txt', `line by ${id}\n`, `stage ${id} work`);
    git(root, ['checkout', '--quiet', 'main']);
  }
  return root;
}

describe('conflicts executor', () => {
  let log: jest.SpyInstance;
  let error: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads the plan from disk, prints the forecast on stdout and fails on a conflict; --json is the document alone on stdout', async () => {
    const root = workspaceWithClash();
    expect(await conflictsExecutor({ json: true }, planContext(root))).toEqual({ success: false });
    expect(log).toHaveBeenCalledTimes(1);
    const report = JSON.parse(log.mock.calls[0][0]);
    expect(report).toMatchObject({ success: false, conflicts: [{ stages: ['1', '2'], files: ['shared.txt'] }] });
    // The verdict in one line beside the JSON, on stderr, so a pipe reads only the document.
    expect(error.mock.calls).toMatchInlineSnapshot(`
      [
        [
          "1 conflicting merge forecast (1 with 2); merging all into main in dependency order stops at step 2 (stage 2). Before merging: give the files to one stage, order the stages (dependsOn), or merge one and sync the other (nx run stage-<id>:sync).",
        ],
      ]
    `);
  });

  it('without --json the report is on stdout and says what failed: nothing on stderr', async () => {
    const root = workspaceWithClash();
    expect(await conflictsExecutor({}, planContext(root))).toEqual({ success: false });
    expect(log.mock.calls[0][0]).toContain('✖ 1 pair of stages would conflict with each other:');
    expect(error).not.toHaveBeenCalled();
  });

  it('--outputFile writes the forecast to the file alone', async () => {
    const root = workspaceWithClash();
    expect(await conflictsExecutor({ outputFile: 'tmp/forecast.json' }, planContext(root))).toEqual({ success: false });
    expect(JSON.parse(readFileSync(join(root, 'tmp/forecast.json'), 'utf8'))).toMatchObject({ success: false, conflicts: [{ stages: ['1', '2'], files: ['shared.txt'] }] });
    expect(log).not.toHaveBeenCalled();
    expect(error.mock.calls.map(([line]) => line)).toEqual([expect.stringContaining('1 conflicting merge forecast (1 with 2)'), 'JSON written to tmp/forecast.json']);
  });

  it('prints an error on stderr for a base that does not exist', async () => {
    const root = workspaceWithClash();
    expect(await conflictsExecutor({ base: 'nope' }, planContext(root))).toEqual({ success: false });
    expect(log).not.toHaveBeenCalled();
    expect(error.mock.calls).toEqual([['The base branch "nope" (from --base) does not exist. Name an existing branch, or leave it out to detect the base from git.']]);
  });
});
