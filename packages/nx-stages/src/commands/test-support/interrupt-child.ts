// Runs a real command in a child process so a test can send it real signals: SIGINT to its
// process group, as Ctrl+C does, or SIGKILL, which leaves no chance to clean up. The child runs
// the TypeScript sources themselves (compiled on load with @swc/core, as Jest does), so the test
// exercises the code under test, not a possibly stale build.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../git/test-support/temp-repo';

const SRC = join(__dirname, '..', '..');

/** Makes `require` of a .ts file compile it with @swc/core first, as Jest does. */
export const REGISTER = `const fs = require('fs');
const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
`;

export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningChild {
  child: ChildProcess;
  done: Promise<ChildOutcome>;
}

/**
 * Starts `node` on a script that calls `call` (an expression of the module's exports `m` and the
 * JSON `args`, returning a promise of an Outcome or a value) from `src/<modulePath>`.
 * Prints the result as JSON; exit 0 on success, 1 on a failed outcome or a thrown error.
 * Detached: the child leads its own process group, and git and its hooks join it.
 */
export function startChild(modulePath: string, call: string, args: unknown): RunningChild {
  const script = join(makeTempDir(), 'run.js');
  writeFileSync(
    script,
    `${REGISTER}
const m = require(${JSON.stringify(join(SRC, modulePath))});
const args = JSON.parse(process.argv[2]);
// Exits as soon as the result is written, as Nx does after an executor or generator: a hook
// outliving its killed git would otherwise keep this process alive through git's pipes.
Promise.resolve(${call}).then(
  (result) => process.stdout.write(JSON.stringify(result), () => process.exit(result && result.ok === false ? 1 : 0)),
  (error) => process.stderr.write(error instanceof Error ? error.message : String(error), () => process.exit(1)),
);
`,
  );
  const child = spawn(process.execPath, [script, JSON.stringify(args)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<ChildOutcome>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/**
 * A git hook that records its pid in `<marker>` and then sleeps: git stops midway, and the test
 * knows exactly when. Hooks live in the common git dir, so they fire in every worktree.
 */
export function sleepingHook(repo: string, name: string): string {
  const marker = join(makeTempDir(), `${name}.pid`);
  const hook = join(repo, '.git', 'hooks', name);
  writeFileSync(hook, `#!/bin/sh\necho $$ > "${marker}"\nexec sleep 30\n`);
  chmodSync(hook, 0o755);
  return marker;
}

/** Waits until the hook has started (its marker exists). */
export async function waitForHook(marker: string, running: RunningChild, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(marker) || readFileSync(marker, 'utf8').trim() === '') {
    if (running.child.exitCode !== null) throw new Error(`the command ended before the hook ran:\n${(await running.done).stdout}${(await running.done).stderr}`);
    if (Date.now() > deadline) throw new Error(`the hook did not start within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Ends a hook's sleep that outlived its git (a signal sent to the command alone, not its group). */
export function stopHook(marker: string): void {
  if (!existsSync(marker)) return;
  const pid = Number(readFileSync(marker, 'utf8').trim());
  try {
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Files nx-stages keeps in the common git dir for `sub` (locks, journal): [] when none. */
export function stateFiles(repo: string, sub: 'locks' | 'journal'): string[] {
  const dir = join(repo, '.git', 'nx-stages', sub);
  return existsSync(dir) ? readdirSync(dir) : [];
}
