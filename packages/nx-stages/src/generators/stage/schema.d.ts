export interface StageGeneratorSchema {
  id: string;
  name: string;
  dependsOn?: string | string[];
  files?: string | string[];
  duration?: string;
  priority?: 'P0' | 'P1' | 'P2';
  profile?: string;
  assignee?: string;
  value?: string;
  deliverables?: string | string[];
  /** Plan folder, relative to the workspace root. */
  plan?: string;
}
