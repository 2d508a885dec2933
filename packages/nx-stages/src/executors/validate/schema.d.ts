export interface ValidateExecutorSchema {
  /** Print the report as JSON, for scripts. */
  json?: boolean;
  outputFile?: string;
}
