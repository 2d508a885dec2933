export interface ConflictsExecutorSchema {
  json?: boolean;
  base?: string;
  outputFile?: string;
  /** Fetch the plan's remote first. */
  fetch?: boolean;
  /** Forecast local stage worktrees' uncommitted work too. */
  uncommitted?: boolean;
}
