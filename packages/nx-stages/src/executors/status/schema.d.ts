export interface StatusExecutorSchema {
  json?: boolean;
  by?: 'assignee';
  outputFile?: string;
}
