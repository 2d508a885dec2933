import type { TestTarget } from '../core/doctor';

/** The part of Nx's ProjectGraph the doctor reads (a public format: `nx graph --file` writes it). */
export interface GraphShape {
  nodes: Record<string, { name?: string; data: { root: string; targets?: Record<string, TestTarget['config']> } }>;
}

/** Every project's `test` target as Nx resolved it (inferred targets included). */
export function testTargetsOfGraph(graph: GraphShape, targetName = 'test'): TestTarget[] {
  return Object.entries(graph.nodes)
    .filter(([, node]) => node.data.targets?.[targetName])
    .map(([name, node]) => ({ project: name, target: targetName, root: node.data.root, config: node.data.targets![targetName] }))
    .sort((a, b) => a.project.localeCompare(b.project));
}

/**
 * The test targets for the shell verb: Nx's cached graph when there is one (no plugin runs), else
 * a new one. Loaded lazily so the bin's other verbs never pay for Nx.
 */
export async function readTestTargets(): Promise<TestTarget[] | { error: string }> {
  const devkit = await import('@nx/devkit');
  try {
    return testTargetsOfGraph(devkit.readCachedProjectGraph());
  } catch {
    try {
      return testTargetsOfGraph(await devkit.createProjectGraphAsync({ exitOnError: false }));
    } catch (error) {
      return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
    }
  }
}
