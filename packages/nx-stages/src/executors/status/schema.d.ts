export interface StatusExecutorSchema {
  json?: boolean;
  by?: 'assignee';
  fetch?: boolean;
  outputFile?: string;
}
