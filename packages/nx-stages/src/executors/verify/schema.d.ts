export interface VerifyExecutorSchema {
  json?: boolean;
  remeasure?: boolean;
  outputFile?: string;
}
