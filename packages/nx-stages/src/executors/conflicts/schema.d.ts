export interface ConflictsExecutorSchema {
  json?: boolean;
  base?: string;
  outputFile?: string;
}
