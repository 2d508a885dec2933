import { writeFileSync, renameSync } from 'node:fs';
import type { PostTasksExecutionContext } from '@nx/devkit';
import { nxDevkit } from './devkit';
import { detectTestRunner, type TestTargetKind } from '../core/gates/test-runner';
import { TASK_RESULTS_VARIABLE, TEST_TARGETS_VARIABLE, type NxTaskRecord, type NxTaskRun } from '../core/gates/nx-task-run';

/**
 * Nx's own account of a run, for the gates: every task's status, cache use, hash and terminal
 * output (which Nx replays from its cache, so a cache hit carries the numbers of the run it
 * stored). Does nothing unless the gates asked for it, so a user's own `nx test` pays nothing.
 * The inner Nx of the gates runs without the daemon, so this runs in a process with their env.
 */
export async function postTasksExecution(_options: unknown, context: PostTasksExecutionContext): Promise<void> {
  const file = process.env[TASK_RESULTS_VARIABLE];
  if (!file) return;
  const tasks: NxTaskRecord[] = Object.values(context.taskResults).map((result) => ({
    id: result.task.id,
    project: result.task.target.project,
    target: result.task.target.target,
    status: result.status,
    code: result.code,
    hash: result.task.hash ?? null,
    startTime: result.task.startTime ?? null,
    endTime: result.task.endTime ?? null,
    terminalOutput: result.terminalOutput ?? '',
  }));
  const run: NxTaskRun = { version: 1, workspaceRoot: context.workspaceRoot, tasks, testTargets: testTargetKinds() };
  writeFileSync(`${file}.tmp`, JSON.stringify(run));
  renameSync(`${file}.tmp`, file);
}

/** project → runner of each requested test target, from the project graph this run computed. */
function testTargetKinds(): Record<string, Record<string, TestTargetKind>> {
  const names = (process.env[TEST_TARGETS_VARIABLE] ?? '').split(',').filter(Boolean);
  if (names.length === 0) return {};
  const kinds: Record<string, Record<string, TestTargetKind>> = {};
  try {
    for (const [project, node] of Object.entries(nxDevkit().readCachedProjectGraph().nodes)) {
      for (const name of names) {
        const target = node.data.targets?.[name];
        if (target) (kinds[project] ??= {})[name] = detectTestRunner(target);
      }
    }
  } catch {
    // No cached graph: the gates ask Nx for it themselves.
  }
  return kinds;
}
