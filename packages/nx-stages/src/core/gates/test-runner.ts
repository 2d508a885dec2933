/**
 * Which test runner a project's test target runs, read from its target configuration as Nx
 * resolved it: the executors Nx ships (`@nx/jest:jest`, `@nx/vite:test`, `@nx/vitest:test`) and
 * the commands Nx's inference plugins write (`jest`, `vitest run …`). The gates pass each runner
 * its own flags to measure tests and coverage, so a stock workspace needs no reporter of its own.
 */
export type TestRunner = 'jest' | 'vitest' | 'other';

/** How flags reach the runner: as executor options, or appended to a command line. */
export type TestTargetStyle = 'executor' | 'command';

export interface TestTargetKind {
  runner: TestRunner;
  style: TestTargetStyle;
}

/** The part of a TargetConfiguration the detection reads. */
export interface TargetShape {
  executor?: string;
  command?: string;
  options?: Record<string, unknown>;
}

const EXECUTORS: Record<string, TestRunner> = {
  '@nx/jest:jest': 'jest',
  '@nrwl/jest:jest': 'jest',
  '@nx/vite:test': 'vitest',
  '@nx/vitest:test': 'vitest',
};

/** Words that run the next word as a program (`npx jest`, `pnpm exec vitest`, `yarn jest`, `FOO=1 jest`). */
const LAUNCHERS = new Set(['npx', 'pnpx', 'bunx', 'exec', 'pnpm', 'yarn', 'bun', 'npm', 'run', 'env', '--']);

export function detectTestRunner(target: TargetShape): TestTargetKind {
  const executor = target.executor ?? (target.command ? 'nx:run-commands' : undefined);
  if (executor && EXECUTORS[executor]) return { runner: EXECUTORS[executor], style: 'executor' };
  if (executor !== 'nx:run-commands') return { runner: 'other', style: 'executor' };
  const command = target.command ?? commandOption(target.options);
  return { runner: command ? runnerOfCommand(command) : 'other', style: 'command' };
}

function commandOption(options: Record<string, unknown> | undefined): string | undefined {
  if (typeof options?.command === 'string') return options.command;
  const commands = options?.commands;
  // Several commands: flags appended by Nx would reach the last one only; treated as unknown.
  if (Array.isArray(commands) && commands.length === 1) {
    const only = commands[0] as unknown;
    if (typeof only === 'string') return only;
    if (only && typeof (only as { command?: unknown }).command === 'string') return (only as { command: string }).command;
  }
  return undefined;
}

/** The program a command line starts, past launchers and variable assignments. */
export function runnerOfCommand(command: string): TestRunner {
  if (/[;&|]/.test(command)) return 'other'; // a pipeline: appended flags would reach its last part
  for (const word of command.trim().split(/\s+/)) {
    if (LAUNCHERS.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) continue;
    const program = word.replace(/^.*\//, '');
    return program === 'jest' ? 'jest' : program === 'vitest' ? 'vitest' : 'other';
  }
  return 'other';
}
