export interface StatusExecutorSchema {
  json?: boolean;
  by?: 'assignee';
  fetch?: boolean;
  resources?: boolean;
  outputFile?: string;
}
