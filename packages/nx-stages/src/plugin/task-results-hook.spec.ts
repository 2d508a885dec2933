import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PostTasksExecutionContext } from '@nx/devkit';
import type { NxTaskRun } from '../core/gates/nx-task-run';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { TASK_RESULTS_VARIABLE } from '../core/gates/nx-task-run';
import { postTasksExecution } from './task-results-hook';

/** What Nx hands the hook after a run (the shape of nx's PostTasksExecutionContext). */
function contextOf(workspaceRoot: string): PostTasksExecutionContext {
  const task = (project: string, target: string) => ({
    id: `${project}:${target}`,
    target: { project, target },
    overrides: {},
    outputs: [],
    hash: `hash-${project}`,
    startTime: 10,
    endTime: 20,
    cache: true,
    parallelism: true,
  });
  return {
    id: 'run-1',
    workspaceRoot,
    nxJsonConfiguration: {},
    argv: ['nx', 'affected'],
    startTime: 0,
    endTime: 30,
    taskResults: {
      'a:lint': { task: task('a', 'lint'), status: 'local-cache', code: 0, terminalOutput: 'lint ok' },
      'b:test': { task: task('b', 'test'), status: 'failure', code: 1, terminalOutput: 'FAIL b' },
    },
  } as unknown as PostTasksExecutionContext;
}

describe('the postTasksExecution hook', () => {
  useTempRepos();
  afterEach(() => delete process.env[TASK_RESULTS_VARIABLE]);

  it('does nothing unless the gates asked for the results', async () => {
    const dir = makeTempDir();
    await postTasksExecution(undefined, contextOf(dir));
    expect(existsSync(join(dir, 'tasks.json'))).toBe(false);
  });

  it('writes every task: status, exit code, hash, times and output', async () => {
    const dir = makeTempDir();
    process.env[TASK_RESULTS_VARIABLE] = join(dir, 'tasks.json');
    await postTasksExecution(undefined, contextOf(dir));
    const run = JSON.parse(readFileSync(join(dir, 'tasks.json'), 'utf8')) as NxTaskRun;
    expect(run).toMatchObject({ version: 1, workspaceRoot: dir, testTargets: {} });
    expect(run.tasks).toEqual([
      { id: 'a:lint', project: 'a', target: 'lint', status: 'local-cache', code: 0, hash: 'hash-a', startTime: 10, endTime: 20, terminalOutput: 'lint ok' },
      { id: 'b:test', project: 'b', target: 'test', status: 'failure', code: 1, hash: 'hash-b', startTime: 10, endTime: 20, terminalOutput: 'FAIL b' },
    ]);
  });
});
