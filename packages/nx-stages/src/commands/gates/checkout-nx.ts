import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectTestRunner, type TargetShape, type TestTargetKind } from '../../core/gates/test-runner';
import { innerNxEnv } from './nx-tasks';
import { runProcess } from './run-process';

/**
 * The `nx` installed in the stage's checkout (its own node_modules, or the main checkout's when
 * linked): gates must run the Nx version of the branch they measure, not the one running us.
 */
export function checkoutNx(checkout: string): { bin: string } | { missing: string } {
  let dir = checkout;
  // node_modules may sit above the checkout in a monorepo nested in a bigger repository.
  for (;;) {
    const bin = nxBinIn(join(dir, 'node_modules', 'nx'));
    if (bin) return { bin };
    const parent = join(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  return { missing: `nx is not installed in ${checkout}: create the worktree with dependencies (nx g nx-stages:worktree), or install them there.` };
}

/** The `nx` bin a package declares (its path moved between Nx versions: bin/ → dist/bin/). */
function nxBinIn(packageDir: string): string | undefined {
  try {
    const { bin } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
    const relative = typeof bin === 'string' ? bin : bin?.nx;
    return relative && existsSync(join(packageDir, relative)) ? join(packageDir, relative) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * project → runner of each named test target, from `nx graph --file` (a public format:
 * ProjectGraph). Used when the task gates' run did not report them (no task gate ran first).
 */
export async function readGraphTestTargets(
  nxBin: string,
  checkout: string,
  env: NodeJS.ProcessEnv,
  logsDir: string,
  names: readonly string[],
): Promise<Record<string, Record<string, TestTargetKind>> | { error: string }> {
  const graphFile = join(logsDir, 'project-graph.json');
  const outcome = await runProcess(process.execPath, [nxBin, 'graph', `--file=${graphFile}`], {
    cwd: checkout,
    env: innerNxEnv(env),
    reportFile: join(logsDir, 'nx-graph.log'),
    header: 'nx graph --file',
  });
  if (outcome.exitCode !== 0) return { error: `nx graph failed (exit ${outcome.exitCode ?? outcome.startError}): ${outcome.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  try {
    const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as { graph?: { nodes?: Record<string, { data?: { targets?: Record<string, TargetShape> } }> } };
    const kinds: Record<string, Record<string, TestTargetKind>> = {};
    for (const [project, node] of Object.entries(graph.graph?.nodes ?? {})) {
      for (const name of names) {
        const target = node.data?.targets?.[name];
        if (target) (kinds[project] ??= {})[name] = detectTestRunner(target);
      }
    }
    return kinds;
  } catch (error) {
    return { error: `nx graph wrote no readable project graph: ${error instanceof Error ? error.message : String(error)}` };
  }
}
