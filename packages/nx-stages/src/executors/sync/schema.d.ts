export interface SyncExecutorSchema {
  strategy?: 'merge' | 'rebase';
  base?: string;
}
