export interface CleanExecutorSchema {
  force?: boolean;
  dryRun?: boolean;
  deleteBranch?: boolean;
  push?: boolean;
}
