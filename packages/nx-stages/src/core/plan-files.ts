// The plan's file names, apart from the parsers (core/load-plan) so that a caller needing only
// the names (the guard, which runs before every edit of an agent) does not load a YAML parser.

export const PLAN_FILE = 'stages.yaml';
export const STAGE_FILE = 'stage.yaml';
export const DEFAULT_PLAN_FOLDER = 'stages';

export function joinPath(...parts: string[]): string {
  return parts.filter((part) => part !== '' && part !== '.').join('/') || '.';
}
