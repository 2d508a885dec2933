import { delimiter, join } from 'node:path';

/**
 * Variables Nx sets for the task it runs (this `gates` task): passed on, they would make the
 * Nx started inside the stage's checkout believe it runs that task, or in the outer workspace.
 * The user's own switches (NX_DAEMON, NX_NO_CLOUD, NX_VERBOSE_LOGGING, …) pass through.
 */
export const OUTER_TASK_VARIABLES =
  /^NX_(TASK_|WORKSPACE_ROOT|TERMINAL_|STREAM_OUTPUT|PREFIX_OUTPUT|CLI_SET|LOAD_DOT_ENV_FILES|SET_CLI|DRY_RUN|INVOKED_BY_RUNNER|PARALLEL|FORKED_PROCESS|DAEMON_PROCESS|PLUGIN_)/;

/** The environment of every gate process: the checkout's tools first on PATH, inner parallelism bounded. */
export function gateEnvironment(checkout: string, parallel: number, stage: { id: string; name: string; base: string }, outer: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(outer)) if (!OUTER_TASK_VARIABLES.test(name)) env[name] = value;
  const pathKey = Object.keys(outer).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = [join(checkout, 'node_modules', '.bin'), outer[pathKey]].filter(Boolean).join(delimiter);
  // Nx reads NX_PARALLEL for run-many and affected: a user's own `run:` gate is bounded too.
  env.NX_PARALLEL = String(parallel);
  // For `run:` commands: stage facts as variables, never spliced into the command text.
  env.NX_STAGES_ID = stage.id;
  env.NX_STAGES_NAME = stage.name;
  env.NX_STAGES_BASE = stage.base;
  // No colours in the logs; NO_COLOR already says so (and Node warns when both are set).
  if (env.NO_COLOR === undefined) env.FORCE_COLOR = '0';
  return env;
}

/**
 * Nested parallelism: `run-many -t gates` runs several stages' gates at once, and each starts Nx
 * with its own `--parallel`. Splitting the cores between the gates tasks that can run at the
 * same time keeps the machine from being oversubscribed.
 */
export function innerParallelism(cores: number, concurrentStages: number): number {
  return Math.max(1, Math.floor(cores / Math.max(1, concurrentStages)));
}
