export interface DoctorExecutorSchema {
  /** Print the findings as JSON, for scripts. */
  json?: boolean;
  outputFile?: string;
}
