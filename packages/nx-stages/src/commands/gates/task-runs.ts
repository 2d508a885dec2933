import { join } from 'node:path';
import { summarizeTask, type TaskSummary } from '../../core/gates/nx-task-run';
import type { TestTargetKind } from '../../core/gates/test-runner';
import type { GatesStore } from '../../io/gates-store';
import { readGraphTestTargets } from './checkout-nx';
import { runNxTasks, type NxTasksOutcome } from './nx-tasks';

export interface TaskRunsOptions {
  nxBin: string;
  checkout: string;
  env: NodeJS.ProcessEnv;
  mergeBase: string;
  parallel: number;
  fastFail: boolean;
  store: GatesStore;
  /** Targets of the stage's task gates (lint, build, typecheck, custom targets): one Nx run for all. */
  taskTargets: readonly string[];
  /** Targets of its test gates: their runner must be known before they run. */
  testTargets: readonly string[];
  progress: (line: string) => void;
}

/**
 * The Nx runs of one gates run. The task gates share one `nx affected` (each gate's verdict is
 * taken from its target's tasks); test gates run after them with their runner's measuring flags.
 */
export class TaskRuns {
  private taskGatesRun?: Promise<NxTasksOutcome>;
  private kinds?: Promise<{ kinds: Record<string, Record<string, TestTargetKind>> } | { error: string }>;
  private count = 0;

  constructor(private readonly options: TaskRunsOptions) {}

  /** Tasks of `target` in the shared run of the task gates (started on first use). */
  async taskGateTasks(target: string): Promise<{ tasks: TaskSummary[]; log: string } | { error: string; log: string }> {
    this.taskGatesRun ??= this.run('task-gates', [
      'affected',
      '-t',
      this.options.taskTargets.join(','),
      `--base=${this.options.mergeBase}`,
      ...(this.options.fastFail ? ['--nxBail'] : []),
    ]);
    const outcome = await this.taskGatesRun;
    const log = 'logs/nx-task-gates.log';
    if (!outcome.ok) return { error: outcome.message, log };
    return { tasks: outcome.run.tasks.filter((task) => task.target === target).map(summarizeTask), log };
  }

  /** project → runner of each test target, from the task gates' run, else from Nx's project graph. */
  testTargetKinds(): Promise<{ kinds: Record<string, Record<string, TestTargetKind>> } | { error: string }> {
    this.kinds ??= (async () => {
      if (this.taskGatesRun) {
        const outcome = await this.taskGatesRun;
        if (outcome.ok && Object.keys(outcome.run.testTargets).length) return { kinds: outcome.run.testTargets };
      }
      const read = await readGraphTestTargets(this.options.nxBin, this.options.checkout, this.options.env, this.options.store.logs, this.options.testTargets);
      return 'error' in read ? { error: String(read.error) } : { kinds: read };
    })();
    return this.kinds;
  }

  /** One more Nx run (a test gate's group), logged as logs/nx-<label>.log. */
  run(label: string, args: string[]): Promise<NxTasksOutcome> {
    this.count += 1;
    return runNxTasks({
      nxBin: this.options.nxBin,
      checkout: this.options.checkout,
      env: this.options.env,
      args: [...args, `--parallel=${this.options.parallel}`],
      logFile: join(this.options.store.logs, `nx-${label}.log`),
      logsDir: this.options.store.logs,
      testTargets: this.options.testTargets,
      onTask: (line) => this.options.progress(line),
    });
  }

  get nxRuns(): number {
    return this.count;
  }
}
