import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectShape } from '../core/serve-target';

/**
 * The projects of a checkout as its own Nx sees them (inferred targets included), from
 * `nx graph --file` (a public format: the ProjectGraph). Run in the checkout, so a stage that
 * added or changed an app is read from its own branch.
 */
export async function worktreeProjects(nxBin: string, checkout: string, env: NodeJS.ProcessEnv): Promise<ProjectShape[] | { error: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'nx-stages-graph-'));
  const file = join(folder, 'graph.json');
  try {
    const failure = await new Promise<string | undefined>((resolve) => {
      execFile(process.execPath, [nxBin, 'graph', `--file=${file}`], { cwd: checkout, env, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
        resolve(error ? lastLines(`${stderr}`) || error.message : undefined);
      });
    });
    if (failure) return { error: `nx graph failed in ${checkout}: ${failure}` };
    const graph = JSON.parse(await readFile(file, 'utf8')) as {
      graph?: { nodes?: Record<string, { name?: string; data?: { root?: string; targets?: ProjectShape['targets'] } }> };
    };
    return Object.entries(graph.graph?.nodes ?? {}).map(([name, node]) => ({ name: node.name ?? name, root: node.data?.root ?? '.', targets: node.data?.targets ?? {} }));
  } catch (error) {
    return { error: `nx graph wrote no readable project graph in ${checkout}: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function lastLines(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-3)
    .join(' | ');
}
