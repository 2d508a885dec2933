import { compareIds } from './ids';
import type { Stage } from './model';

/** Dependencies that name stages of the plan (unknown ids are reported elsewhere, and ignored here). */
export function knownDependencies(stages: readonly Pick<Stage, 'id' | 'dependsOn'>[]): Map<string, string[]> {
  const ids = new Set(stages.map((stage) => stage.id));
  return new Map(stages.map((stage) => [stage.id, [...new Set(stage.dependsOn)].filter((id) => ids.has(id))]));
}

/**
 * Every dependency cycle, one per strongly connected component, each as a path that returns
 * to its start (`["1", "6", "4", "1"]`). Tarjan's algorithm, iterative so deep plans don't
 * overflow the stack.
 */
export function findCycles(stages: readonly Pick<Stage, 'id' | 'dependsOn'>[]): string[][] {
  const edges = knownDependencies(stages);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of [...edges.keys()].sort(compareIds)) {
    if (index.has(root)) continue;
    const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = edges.get(frame.id) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = (edges.get(frame.id) ?? []).includes(frame.id);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((component) => cyclePath(component, edges)).sort((a, b) => compareIds(a[0], b[0]));
}

/** A shortest cycle through the smallest id of a strongly connected component (breadth-first). */
function cyclePath(component: string[], edges: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort(compareIds)[0];
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i];
    for (const next of [...(edges.get(current) ?? [])].sort(compareIds)) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = current; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** Group letter of a topological level: 0 → A, 25 → Z, 26 → AA. */
export function groupLetter(level: number): string {
  let letters = '';
  for (let n = level; n >= 0; n = Math.floor(n / 26) - 1) letters = String.fromCharCode(65 + (n % 26)) + letters;
  return letters;
}

/**
 * Parallel groups: a stage without dependencies is in A; otherwise one letter after the latest
 * group among its dependencies. Stages on a cycle, or depending on one, get no group.
 */
export function parallelGroups(stages: readonly Pick<Stage, 'id' | 'dependsOn'>[]): Map<string, string> {
  const edges = knownDependencies(stages);
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  const blocked = new Set<string>();
  const level = (id: string): number | undefined => {
    if (levels.has(id)) return levels.get(id);
    if (blocked.has(id) || visiting.has(id)) {
      blocked.add(id);
      return undefined;
    }
    visiting.add(id);
    let result = 0;
    for (const dependency of edges.get(id) ?? []) {
      const dependencyLevel = level(dependency);
      if (dependencyLevel === undefined) {
        blocked.add(id);
        visiting.delete(id);
        return undefined;
      }
      result = Math.max(result, dependencyLevel + 1);
    }
    visiting.delete(id);
    levels.set(id, result);
    return result;
  };
  const groups = new Map<string, string>();
  for (const id of edges.keys()) {
    const stageLevel = level(id);
    if (stageLevel !== undefined) groups.set(id, groupLetter(stageLevel));
  }
  return groups;
}

/** Stages per group, groups in order (A … Z, AA …); stages without a group are left out. */
export function stagesByGroup<T extends Pick<Stage, 'id'>>(stages: readonly T[], groups: ReadonlyMap<string, string>): Map<string, T[]> {
  const byGroup = new Map<string, T[]>();
  for (const stage of stages) {
    const group = groups.get(stage.id);
    if (group) byGroup.set(group, [...(byGroup.get(group) ?? []), stage]);
  }
  return new Map([...byGroup].sort(([a], [b]) => a.length - b.length || a.localeCompare(b)));
}

/** For every stage, all stages it depends on directly or through others. */
export function ancestors(stages: readonly Pick<Stage, 'id' | 'dependsOn'>[]): Map<string, Set<string>> {
  const edges = knownDependencies(stages);
  const result = new Map<string, Set<string>>();
  for (const id of edges.keys()) {
    const seen = new Set<string>();
    const todo = [...(edges.get(id) ?? [])];
    while (todo.length > 0) {
      const next = todo.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      todo.push(...(edges.get(next) ?? []));
    }
    result.set(id, seen);
  }
  return result;
}

/** Pairs of stages with no dependency path between them: they may be worked on at the same time. */
export function parallelPairs(stages: readonly Pick<Stage, 'id' | 'dependsOn'>[]): Array<[string, string]> {
  const before = ancestors(stages);
  const ids = stages.map((stage) => stage.id);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      if (!before.get(ids[i])?.has(ids[j]) && !before.get(ids[j])?.has(ids[i])) pairs.push([ids[i], ids[j]]);
    }
  }
  return pairs;
}
