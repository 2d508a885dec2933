import type { PlanSource } from '../load-plan';
import { defaultSettings } from '../parse-settings';
import type { Plan, Stage } from '../model';

/** A plan folder held in memory: `{ 'stages/stages.yaml': '...', 'stages/9.1-x/stage.yaml': '...' }`. */
export function memorySource(files: Record<string, string>): PlanSource {
  return {
    read: (path) => files[path],
    subfolders: (path) => {
      const prefix = path === '.' ? '' : `${path}/`;
      const names = Object.keys(files)
        .filter((file) => file.startsWith(prefix))
        .map((file) => file.slice(prefix.length).split('/'))
        .filter((parts) => parts.length > 1)
        .map((parts) => parts[0]);
      return [...new Set(names)];
    },
  };
}

/** A stage with sensible defaults; tests override what they are about. */
export function stage(id: string, overrides: Partial<Stage> = {}): Stage {
  return {
    id,
    name: `Stage ${id}`,
    duration: '1w',
    durationDays: 5,
    priority: 'P1',
    dependsOn: [],
    files: [],
    profile: 'default',
    deliverables: [],
    value: `Value of ${id}`,
    folder: `stages/${id}`,
    file: `stages/${id}/stage.yaml`,
    lines: { id: 1, dependsOn: 5, files: 6, duration: 3, profile: 7, value: 9 },
    ...overrides,
  };
}

export function planOf(stages: Stage[], settings: Partial<Plan['settings']> = {}): Plan {
  return { settings: { ...defaultSettings('stages/stages.yaml', 'stages'), ...settings }, stages, problems: [] };
}

/** The method's own example: 9.1, 9.2, 9.3 in parallel, 9.4 after 9.1. */
export function dashboardExample(): Stage[] {
  return [
    stage('9.1', { name: 'Dashboard UI Components', duration: '2w', durationDays: 10, priority: 'P0', files: ['src/web-ui/app/dashboard/**'] }),
    stage('9.2', { name: 'Data Visualization Library', duration: '1w', durationDays: 5, files: ['src/web-ui/lib/charts/**'] }),
    stage('9.3', { name: 'Real-Time WebSocket API', duration: '2w', durationDays: 10, files: ['src/api/Hubs/**'] }),
    stage('9.4', { name: 'Analytics & Reporting', duration: '1.5w', durationDays: 7.5, dependsOn: ['9.1'], files: ['src/web-ui/components/analytics/**'] }),
  ];
}
