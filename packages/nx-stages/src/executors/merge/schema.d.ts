export interface MergeExecutorSchema {
  base?: string;
  cleanup?: boolean;
  deleteBranch?: boolean;
  push?: boolean;
}
