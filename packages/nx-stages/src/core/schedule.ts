/**
 * When each stage can run, and how much running stages in parallel saves over doing them one
 * after another. Without a team size this is the critical-path method (enough people for
 * everything); with one it is list scheduling over that many people.
 */
import { PRIORITIES, type Stage } from './model';
import { compareIds } from './ids';

export interface ScheduledStage {
  id: string;
  start: number;
  finish: number;
  slack: number;
  critical: boolean;
  /** Who runs it (0..teamSize-1); only when scheduled with a team size. */
  person?: number;
}

export interface Schedule {
  /** Same order as the input stages. */
  stages: ScheduledStage[];
  /** Ids, first to last, of one longest dependency chain by duration. */
  criticalPath: string[];
  sequentialDays: number;
  parallelDays: number;
  savedDays: number;
  savedPercent: number;
  teamSize?: number;
}

type StageInput = Pick<Stage, 'id' | 'durationDays' | 'priority' | 'dependsOn'>;

// Everything is computed in thousandths of a day so sums stay exact (0.1d + 0.2d is 0.3d).
const SCALE = 1000;
const toUnits = (days: number) => (Number.isFinite(days) && days > 0 ? Math.round(days * SCALE) : 0);
const toDays = (units: number) => units / SCALE;

interface Node {
  stage: StageInput;
  dur: number;
  deps: Node[];
  dependents: Node[];
  /** Earliest start/finish with unlimited people: what the critical path is made of. */
  es: number;
  ef: number;
  /** Duration of the longest chain from this stage (inclusive) to the end. */
  rank: number;
  start: number;
  finish: number;
  person?: number;
}

export function schedule(stages: StageInput[], options: { teamSize?: number } = {}): Schedule {
  const order = topologicalOrder(stages);
  for (const n of order) {
    n.es = Math.max(0, ...n.deps.map((d) => d.ef));
    n.ef = n.es + n.dur;
    n.start = n.es;
    n.finish = n.ef;
  }
  for (const n of [...order].reverse()) n.rank = n.dur + Math.max(0, ...n.dependents.map((d) => d.rank));

  // Infinity or NaN means "no limit"; anything else becomes a whole number of people, at least one.
  const team = options.teamSize !== undefined && Number.isFinite(options.teamSize) ? Math.max(1, Math.floor(options.teamSize)) : undefined;
  if (team !== undefined) listSchedule(order, team);

  const makespan = Math.max(0, ...order.map((n) => n.finish));
  const sequential = order.reduce((sum, n) => sum + n.dur, 0);
  const saved = sequential - makespan;
  const byId = new Map(order.map((n) => [n.stage.id, n]));

  return {
    stages: stages.map(({ id }) => {
      const n = byId.get(id)!;
      // The backward pass over dependencies gives latest start = makespan - rank. With a team
      // this measures slack against the team's makespan but ignores who is free: a stage with
      // slack 0 cannot slip without delaying the end, yet one with slack may still be unable
      // to slip if its person is booked right after it.
      const slack = makespan - n.rank - n.start;
      const out: ScheduledStage = {
        id,
        start: toDays(n.start),
        finish: toDays(n.finish),
        slack: toDays(slack),
        critical: slack === 0,
      };
      if (team !== undefined) out.person = n.person;
      return out;
    }),
    criticalPath: criticalPath(order),
    sequentialDays: toDays(sequential),
    parallelDays: toDays(makespan),
    savedDays: toDays(saved),
    savedPercent: sequential === 0 ? 0 : Math.round((saved * 100) / sequential),
    ...(team !== undefined ? { teamSize: team } : {}),
  };
}

/** `17.5` -> `17.5d (3.5w)`; the week part is left out when it would read `0w`. */
export function formatDays(days: number): string {
  const units = Math.round(days * SCALE);
  const tenthsOfWeeks = Math.round(units / (SCALE / 2)); // 1w = 5d, so tenths of a week = days * 2
  const d = `${toDays(units)}d`;
  return tenthsOfWeeks === 0 ? d : `${d} (${tenthsOfWeeks / 10}w)`;
}

/**
 * Nodes in dependency order, built by visiting ids in natural order so the result does not
 * depend on input order. Unknown dependency ids are skipped; an edge back into a stage still
 * being visited (a cycle the caller missed) is dropped, so everything after can assume a DAG.
 */
function topologicalOrder(stages: StageInput[]): Node[] {
  const byId = new Map<string, Node>();
  for (const stage of stages) {
    if (!byId.has(stage.id)) {
      byId.set(stage.id, { stage, dur: toUnits(stage.durationDays), deps: [], dependents: [], es: 0, ef: 0, rank: 0, start: 0, finish: 0 });
    }
  }
  const order: Node[] = [];
  const state = new Map<Node, 'visiting' | 'done'>();
  const visit = (n: Node) => {
    state.set(n, 'visiting');
    for (const id of [...new Set(n.stage.dependsOn)].sort(compareIds)) {
      const d = byId.get(id);
      if (!d || state.get(d) === 'visiting') continue;
      if (!state.has(d)) visit(d);
      n.deps.push(d);
      d.dependents.push(n);
    }
    state.set(n, 'done');
    order.push(n);
  };
  for (const id of [...byId.keys()].sort(compareIds)) if (!state.has(byId.get(id)!)) visit(byId.get(id)!);
  return order;
}

/**
 * Event simulation: whenever people are free, start the ready stages that head the longest
 * remaining chains first (then by priority, then id), each with the lowest-numbered free person.
 */
function listSchedule(order: Node[], team: number): void {
  const urgency = (a: Node, b: Node) => b.rank - a.rank || priorityIndex(a) - priorityIndex(b) || compareIds(a.stage.id, b.stage.id);
  const waiting = new Set(order);
  const finished = new Set<Node>();
  let running: Node[] = [];
  const free = Array.from({ length: team }, (_, i) => i);
  let t = 0;
  while (waiting.size > 0) {
    for (const n of running.filter((r) => r.finish <= t)) {
      finished.add(n);
      free.push(n.person!);
    }
    running = running.filter((r) => r.finish > t);
    free.sort((a, b) => a - b);
    const ready = [...waiting].filter((n) => n.deps.every((d) => finished.has(d))).sort(urgency);
    for (const n of ready.slice(0, free.length)) {
      n.start = t;
      n.finish = t + n.dur;
      n.person = free.shift();
      waiting.delete(n);
      running.push(n);
    }
    // A zero-length stage finishes at t itself, so this can stay at t and unblock its dependents.
    t = Math.min(...running.map((r) => r.finish));
  }
}

/** Walk back from a last stage that ends the longest chain, through dependencies that end exactly when it starts. */
function criticalPath(order: Node[]): string[] {
  const longest = Math.max(0, ...order.map((n) => n.ef));
  const ends = order.filter((n) => n.dependents.length === 0 && n.ef === longest);
  let cur: Node | undefined = ends.sort((a, b) => compareIds(a.stage.id, b.stage.id))[0];
  const path: string[] = [];
  while (cur) {
    path.unshift(cur.stage.id);
    const es: number = cur.es;
    cur = cur.deps.find((d) => d.ef === es); // deps are sorted by id, so the lowest id wins
  }
  return path;
}

function priorityIndex(n: Node): number {
  const i = PRIORITIES.indexOf(n.stage.priority);
  return i < 0 ? PRIORITIES.length : i;
}
