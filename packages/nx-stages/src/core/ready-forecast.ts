// "Ready to start" with the forecast in view: a stage whose dependencies are merged still waits
// when a stage in progress already changes or conflicts in files it owns — starting it now would
// make two branches edit the same files. The git side (the conflicts forecast) fills the model.
import type { ConflictForecast } from './conflict-forecast';
import { pathMatches } from './glob-overlap';
import type { Stage } from './model';

/** A stage whose dependencies are merged but whose files the forecast finds stages in progress touching. */
export interface ForecastHold {
  id: string;
  /** The stages in progress that touch its files, in merge order. */
  on: string[];
  /** Its files they touch (drift into them, or conflicts in them). */
  files: string[];
}

type ForecastFiles = Pick<ConflictForecast, 'stages' | 'conflicts' | 'baseConflicts' | 'simulation' | 'drift'>;

/**
 * Splits the stages that are ready by their dependencies (core/ready.ts) into those free to start
 * and those held by the forecast: a file a stage in progress changed outside its own `files`
 * (drift), or a file its merge would conflict in, that the ready stage's `files` claim.
 */
export function holdByForecast<T extends Pick<Stage, 'id' | 'files'>>(ready: readonly T[], forecast: ForecastFiles): { free: T[]; held: ForecastHold[] } {
  const touched = touchedFiles(forecast);
  const order = forecast.stages.map((stage) => stage.id);
  const free: T[] = [];
  const held: ForecastHold[] = [];
  for (const stage of ready) {
    const on = new Set<string>();
    const files = new Set<string>();
    for (const [file, by] of touched) {
      if (!stage.files.some((pattern) => pathMatches(file, pattern))) continue;
      files.add(file);
      for (const id of by) if (id !== stage.id) on.add(id);
    }
    if (on.size === 0) free.push(stage);
    else held.push({ id: stage.id, on: [...on].sort((a, b) => order.indexOf(a) - order.indexOf(b)), files: [...files].sort() });
  }
  return { free, held };
}

/** Every file the forecast names, with the stages in progress that touch it. */
function touchedFiles(forecast: ForecastFiles): Map<string, Set<string>> {
  const touched = new Map<string, Set<string>>();
  const add = (files: readonly string[], stages: readonly string[]) => {
    for (const file of files) {
      const by = touched.get(file) ?? new Set<string>();
      for (const id of stages) by.add(id);
      touched.set(file, by);
    }
  };
  for (const entry of forecast.drift) add(entry.files, [entry.stage]);
  for (const entry of forecast.conflicts) add(entry.files, entry.stages);
  for (const entry of forecast.baseConflicts) add(entry.files, [entry.stage]);
  const first = forecast.simulation.firstConflict;
  if (first) add(first.files, [first.stage]);
  return touched;
}
