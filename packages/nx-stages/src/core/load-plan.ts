import type { Plan, Problem, Stage } from './model';
import { parseSettings } from './parse-settings';
import { parseStage } from './parse-stage';
import { compareIds } from './ids';

/**
 * How the plan reaches core: a file system, an Nx generator Tree or plain test data all
 * answer these two questions. Paths are workspace-relative and `/`-separated.
 */
export interface PlanSource {
  /** File text, or undefined when the file does not exist. */
  read(path: string): string | undefined;
  /** Names of the direct sub-folders of a folder (empty when it does not exist). */
  subfolders(path: string): string[];
}

export const PLAN_FILE = 'stages.yaml';
export const STAGE_FILE = 'stage.yaml';
export const DEFAULT_PLAN_FOLDER = 'stages';

export function joinPath(...parts: string[]): string {
  return parts.filter((part) => part !== '' && part !== '.').join('/') || '.';
}

/**
 * Loads the plan in `folder`: its settings and every sub-folder holding a `stage.yaml`.
 * A stage file with errors is left out (its problems say why) so the rest keeps working;
 * so is a second stage claiming an id already taken. `parse` lets a caller memoize stage files.
 */
export function loadPlan(source: PlanSource, folder: string, parse: typeof parseStage = parseStage): Plan {
  const settingsFile = joinPath(folder, PLAN_FILE);
  const settingsText = source.read(settingsFile);
  const problems: Problem[] = [];
  if (settingsText === undefined) {
    problems.push({
      severity: 'error', code: 'no-plan', file: settingsFile, message: `no plan file ${settingsFile}`,
      hint: 'run `nx g nx-stages:init` to create it',
    });
  }
  const parsedSettings = parseSettings(settingsText ?? '', settingsFile, folder);
  problems.push(...parsedSettings.problems);

  const stages: Stage[] = [];
  const seen = new Map<string, Stage>();
  for (const sub of [...source.subfolders(folder)].sort(compareIds)) {
    const stageFolder = joinPath(folder, sub);
    const file = joinPath(stageFolder, STAGE_FILE);
    const text = source.read(file);
    if (text === undefined) continue;
    const parsed = parse(text, file, stageFolder);
    problems.push(...parsed.problems);
    if (!parsed.stage) {
      problems.push({
        severity: 'warning', code: 'stage-left-out', file, line: parsed.problems[0]?.line,
        message: 'this stage is left out of the plan until its errors are fixed',
      });
      continue;
    }
    const taken = seen.get(parsed.stage.id);
    if (taken) {
      problems.push({
        severity: 'error', code: 'duplicate-id', file, line: parsed.stage.lines.id,
        message: `duplicate id "${parsed.stage.id}", already used by ${taken.file}; this stage is left out`,
        hint: 'give every stage its own id', stages: [parsed.stage.id],
      });
      continue;
    }
    seen.set(parsed.stage.id, parsed.stage);
    stages.push(parsed.stage);
  }
  return { settings: parsedSettings.settings, stages, problems };
}
