import type { Plan, Problem, Stage } from './model';
import { parseSettings } from './parse-settings';
import { parseStage } from './parse-stage';
import { compareIds } from './ids';
import { formatProblem } from './validate';
import { joinPath, PLAN_FILE, STAGE_FILE } from './plan-files';

/**
 * How the plan reaches core: a file system, an Nx generator Tree or plain test data all
 * answer these two questions. Paths are workspace-relative and `/`-separated.
 */
export interface PlanSource {
  /** File text, or undefined when the file does not exist; throws when it exists but cannot be read (the error says why). */
  read(path: string): string | undefined;
  /** Names of the direct sub-folders of a folder (empty when it does not exist). */
  subfolders(path: string): string[];
}

export { DEFAULT_PLAN_FOLDER, joinPath, PLAN_FILE, STAGE_FILE } from './plan-files';

/**
 * Loads the plan in `folder`: its settings and every sub-folder holding a `stage.yaml`.
 * A stage file with errors is left out (its problems say why) so the rest keeps working;
 * so is a second stage claiming an id already taken. `parse` lets a caller memoize stage files.
 */
export function loadPlan(source: PlanSource, folder: string, parse: typeof parseStage = parseStage): Plan {
  const settingsFile = joinPath(folder, PLAN_FILE);
  const problems: Problem[] = [];
  const settingsText = readOrReport(source, settingsFile, problems);
  if (settingsText === undefined && !problems.some((problem) => problem.file === settingsFile)) {
    problems.push({
      severity: 'error',
      code: 'no-plan',
      file: settingsFile,
      message: `no plan file ${settingsFile}`,
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
    const text = readOrReport(source, file, problems);
    if (text === undefined) continue;
    const parsed = parse(text, file, stageFolder);
    problems.push(...parsed.problems);
    if (!parsed.stage) {
      problems.push({
        severity: 'warning',
        code: 'stage-left-out',
        file,
        line: parsed.problems[0]?.line,
        message: 'this stage is left out of the plan until its errors are fixed',
      });
      continue;
    }
    const taken = seen.get(parsed.stage.id);
    if (taken) {
      problems.push({
        severity: 'error',
        code: 'duplicate-id',
        file,
        line: parsed.stage.lines.id,
        message: `duplicate id "${parsed.stage.id}", already used by ${taken.file}; this stage is left out`,
        hint: 'give every stage its own id',
        stages: [parsed.stage.id],
      });
      continue;
    }
    seen.set(parsed.stage.id, parsed.stage);
    stages.push(parsed.stage);
  }
  return { settings: parsedSettings.settings, stages, problems };
}

/** The file's text; an unreadable file (permissions, a folder in its place) is a problem naming it, not a crash. */
function readOrReport(source: PlanSource, file: string, problems: Problem[]): string | undefined {
  try {
    return source.read(file);
  } catch (error) {
    problems.push({
      severity: 'error',
      code: 'unreadable',
      file,
      message: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'make it a readable text file (check its permissions, and that it is not a folder)',
    });
    return undefined;
  }
}

/**
 * Errors in the plan's own settings file (stages.yaml): missing, unreadable, not YAML, or a setting
 * that is invalid. The parser keeps defaults in their place, but a command running on a guessed
 * branch pattern, worktree folder or base branch could act on the wrong things.
 */
export function settingsErrors(plan: Plan): Problem[] {
  return plan.problems.filter((problem) => problem.severity === 'error' && problem.file === plan.settings.file);
}

/** Why no command but validate and doctor may run on this plan (validate's own lines), or undefined. */
export function settingsRefusal(plan: Plan): string | undefined {
  const errors = settingsErrors(plan);
  if (errors.length === 0) return undefined;
  return [
    `${plan.settings.file} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}, so nothing was done:`,
    ...errors.map((problem) => `  ${formatProblem(problem)}`),
    "Fix it, then check with `npx nx-stages validate` (or the plan's validate target).",
  ].join('\n');
}

/** A plan refused for its settings (see settingsRefusal); the message is meant for the user as it is. */
export class InvalidSettingsError extends Error {}

/** `plan`, or InvalidSettingsError when its settings have errors: what every command but validate and doctor loads. */
export function requireValidSettings(plan: Plan): Plan {
  const refusal = settingsRefusal(plan);
  if (refusal) throw new InvalidSettingsError(refusal);
  return plan;
}
