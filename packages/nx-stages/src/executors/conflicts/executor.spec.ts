import type { ExecutorContext } from '@nx/devkit';
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

  it('reads the plan from disk, prints the forecast on stdout and fails on a conflict', async () => {
    const root = workspaceWithClash();
    expect(await conflictsExecutor({ json: true }, planContext(root))).toEqual({ success: false });
    const report = JSON.parse(log.mock.calls[0][0]);
    expect(report.conflicts).toEqual([{ stages: ['1', '2'], files: ['shared.txt'] }]);
    expect(error).not.toHaveBeenCalled();
  });

  it('prints an error on stderr for a base that does not exist', async () => {
    const root = workspaceWithClash();
    expect(await conflictsExecutor({ base: 'nope' }, planContext(root))).toEqual({ success: false });
    expect(error.mock.calls[0][0]).toContain('"nope" (from --base) does not exist');
  });
});
