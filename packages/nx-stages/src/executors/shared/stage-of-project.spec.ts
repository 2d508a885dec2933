import type { ExecutorContext } from '@nx/devkit';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createRepo, useTempRepos } from '../../git/test-support/temp-repo';
import { commitPlan } from '../../commands/test-support/plan-on-disk';
import cleanExecutor from '../clean/executor';
import { stageOfProject } from './stage-of-project';

useTempRepos();

/** What Nx hands an executor of project `name` rooted at `root` (only the fields read). */
function contextOf(root: string, name: string, projectRoot: string): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: name,
    projectsConfigurations: { version: 2, projects: { [name]: { root: projectRoot } } },
  } as unknown as ExecutorContext;
}

// Every setting the issue found silently replaced by its default outside `validate`.
describe.each([
  ['branch pattern', 'branchPattern: "stage"\n', 'stages/stages.yaml:1: error: invalid branchPattern: must contain {id}'],
  ['worktree location', 'worktreeDir: "worktrees/{id}"\n', 'stages/stages.yaml:1: error: invalid worktreeDir'],
  ['copy globs', 'copyIgnored: ["../secrets"]\n', 'stages/stages.yaml:1: error: invalid entry "../secrets" in "copyIgnored"'],
  ['ports', 'name: stages\nports: { base: 80 }\n', 'stages/stages.yaml:2: error: invalid ports'],
  ['dependencies', 'dependencies: copy\n', 'stages/stages.yaml:1: error: invalid dependencies "copy"'],
  ['base branch', 'baseBranch: "main branch"\n', 'stages/stages.yaml:1: error: invalid baseBranch'],
  ['YAML', 'ports: [oops\n', 'stages/stages.yaml:2:1: error: invalid YAML'],
])('invalid settings (%s) stop every command', (_what, settings, expected) => {
  let root: string;
  beforeEach(() => {
    root = createRepo();
    commitPlan(root, settings, { '1': '' });
  });

  it("a stage target refuses with validate's line", () => {
    expect(() => stageOfProject(contextOf(root, 'stage-1', 'stages/1'))).toThrow(expected);
  });

  it("a plan target refuses with validate's line and touches nothing", async () => {
    await expect(cleanExecutor({ dryRun: true }, contextOf(root, 'stages', 'stages'))).rejects.toThrow(expected);
  });
});

describe('an unreadable stages.yaml', () => {
  it('stops a command saying it cannot be read, not that it is missing', () => {
    const root = createRepo();
    commitPlan(root, '', { '1': '' });
    rmSync(join(root, 'stages', 'stages.yaml'));
    mkdirSync(join(root, 'stages', 'stages.yaml'));
    expect(() => stageOfProject(contextOf(root, 'stage-1', 'stages/1'))).toThrow(/cannot read stages\/stages\.yaml/);
  });
});
