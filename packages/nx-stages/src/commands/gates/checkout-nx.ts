import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** Project names and their targets, from `nx graph --file` (a public format: ProjectGraph). */
export function readGraphTargets(graphFile: string): Map<string, Set<string>> {
  const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as { graph?: { nodes?: Record<string, { data?: { targets?: Record<string, unknown> } }> } };
  const targets = new Map<string, Set<string>>();
  for (const [name, node] of Object.entries(graph.graph?.nodes ?? {})) targets.set(name, new Set(Object.keys(node.data?.targets ?? {})));
  return targets;
}
