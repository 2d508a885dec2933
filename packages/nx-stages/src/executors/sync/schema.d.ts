export interface SyncExecutorSchema {
  strategy?: 'merge' | 'rebase';
  base?: string;
  /** Refresh the worktree's dependencies even when the sync changed no lock file or package.json. */
  refreshDependencies?: boolean;
  /** Fetch the plan's remote first; a newer remote base is what the sync brings in. */
  fetch?: boolean;
}
