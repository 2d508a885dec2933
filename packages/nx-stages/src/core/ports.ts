import type { PlanSettings } from './model';

/**
 * The lowest port of the plan's sequence (base, base + step, …) that no other stage worktree
 * holds. The base itself is skipped: it stays free for the main checkout.
 */
export function allocatePort(settings: Pick<PlanSettings, 'ports'>, taken: Iterable<number>): number {
  const used = new Set(taken);
  const { base, step } = settings.ports;
  for (let port = base + step; port <= 65535; port += step) {
    if (!used.has(port)) return port;
  }
  throw new Error(`No free port left in the sequence ${base} + n × ${step}; set ports: { base, step } in stages.yaml.`);
}
