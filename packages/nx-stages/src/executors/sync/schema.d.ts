export interface SyncExecutorSchema {
  strategy?: 'merge' | 'rebase';
  base?: string;
  /** Refresh the worktree's dependencies even when the sync changed no lock file or package.json. */
  refreshDependencies?: boolean;
}
