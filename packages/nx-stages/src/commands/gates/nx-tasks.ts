import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripAnsi, TASK_RESULTS_VARIABLE, TEST_TARGETS_VARIABLE, type NxTaskRun } from '../../core/gates/nx-task-run';
import { runProcess, type ProcessOutcome } from './run-process';
import { safeFileName } from './safe-file-name';

export interface NxTasksRequest {
  nxBin: string;
  checkout: string;
  env: NodeJS.ProcessEnv;
  /** Arguments after `nx`, e.g. ['affected', '-t', 'lint,build', '--base=…']. */
  args: string[];
  /** Full output of this Nx run. */
  logFile: string;
  /** Where each task's output is kept (one file per task) and the hook's results are written. */
  logsDir: string;
  /** Test targets whose runner the gates need to know (read by the hook from the project graph). */
  testTargets: readonly string[];
  /** A line per task as Nx reports it done (static output prints a task's header when it ends). */
  onTask?: (line: string) => void;
}

export type NxTasksOutcome = { ok: true; run: NxTaskRun; process: ProcessOutcome } | { ok: false; message: string; process?: ProcessOutcome };

const TASK_HEADER = /^>\s+nx run (\S+?)(?:\s+(.*))?$/;

/**
 * The environment of an Nx the gates start in a checkout: no daemon (see runNxTasks), and no plugin
 * workers unless the user asks for them: workers guard a long-lived daemon, while this process lives
 * for one run, and starting one per plugin cost 1.5-3 s (~1.7 CPU s) of each run's start-up in a
 * stock workspace.
 */
export function innerNxEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: env.NX_ISOLATE_PLUGINS ?? 'false' };
}

/**
 * One Nx run of several tasks, with Nx's own account of each (status, cache hit, hash, output)
 * written by the plugin's postTasksExecution hook. Without the daemon: the hook then runs in this
 * run's process with its environment, and no daemon holds file hashes of another checkout.
 */
export async function runNxTasks(request: NxTasksRequest): Promise<NxTasksOutcome> {
  const resultsFile = join(request.logsDir, `${safeFileName(request.logFile.replace(/^.*\//, ''))}.tasks.json`);
  await rm(resultsFile, { force: true });
  const env = { ...innerNxEnv(request.env), NX_TUI: 'false', [TASK_RESULTS_VARIABLE]: resultsFile, [TEST_TARGETS_VARIABLE]: request.testTargets.join(',') };
  const args = [...request.args, '--outputStyle=static'];
  const outcome = await runProcess(process.execPath, [request.nxBin, ...args], {
    cwd: request.checkout,
    env,
    reportFile: request.logFile,
    header: `nx ${args.join(' ')}`,
    onLine: (line) => {
      const header = TASK_HEADER.exec(stripAnsi(line).trim());
      // The task and how Nx got it ("[local cache]"), without the flags the gates added.
      const note = header?.[2]?.match(/\[[^\]]+\]\s*$/)?.[0];
      if (header) request.onTask?.(`${header[1]}${note ? ` ${note.trim()}` : ''}`);
    },
  });
  if (outcome.startError) return { ok: false, message: outcome.startError, process: outcome };
  let run: NxTaskRun;
  try {
    run = JSON.parse(await readFile(resultsFile, 'utf8')) as NxTaskRun;
  } catch {
    const said = lastLines(stripAnsi(`${outcome.stdout}\n${outcome.stderr}`));
    return {
      ok: false,
      process: outcome,
      message:
        outcome.exitCode === 0
          ? 'Nx ran but nx-stages did not see its task results: is "nx-stages" in the plugins of nx.json on this branch? (nx run stages:doctor)'
          : `nx ${request.args.slice(0, 3).join(' ')} failed before running tasks (exit ${outcome.exitCode}): ${said}`,
    };
  }
  const tasksDir = join(request.logsDir, 'tasks');
  await mkdir(tasksDir, { recursive: true });
  await Promise.all(run.tasks.map((task) => writeFile(join(tasksDir, `${safeFileName(task.id)}.log`), stripAnsi(task.terminalOutput))));
  return { ok: true, run, process: outcome };
}

function lastLines(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .slice(-4)
      .join(' | ') || 'no output'
  );
}
