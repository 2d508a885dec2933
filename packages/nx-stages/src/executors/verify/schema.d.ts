export interface VerifyExecutorSchema {
  json?: boolean;
}
