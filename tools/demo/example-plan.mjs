// The example plan of the demo: the dashboard feature from the method's guide, split into stages.
export const exampleStages = [
  {
    id: '9.1', name: 'Dashboard UI Components', duration: '2w', priority: 'P0', dependsOn: [], assignee: 'alice',
    files: ['src/web-ui/app/dashboard/**', 'src/web-ui/components/dashboard/**'],
    value: 'Developers can build dashboards with drag-and-drop widgets.',
  },
  {
    id: '9.2', name: 'Data Visualization Library', duration: '1w', priority: 'P1', dependsOn: [], assignee: 'bob',
    files: ['src/web-ui/lib/charts/**', 'src/web-ui/components/charts/**', 'docs/charts-usage.md'],
    value: 'Any page can render bar, line and pie charts from a data series.',
  },
  {
    id: '9.3', name: 'Real-Time WebSocket API', duration: '2w', priority: 'P0', dependsOn: [], assignee: 'carol',
    files: ['src/api/hubs/**', 'src/web-ui/lib/stores/websocket-store.ts'],
    value: 'Dashboards update live when data changes on the server.',
  },
  {
    id: '9.4', name: 'Analytics & Reporting', duration: '1.5w', priority: 'P1', dependsOn: ['9.1'], assignee: 'alice',
    files: ['src/web-ui/components/analytics/**'],
    value: 'Users can filter dashboard data and export reports.',
  },
];

/** Just enough of an app for the stages' files to point at. */
export const exampleFiles = {
  '.gitignore': 'node_modules\n.nx/cache\n.nx/workspace-data\n',
  'src/web-ui/app/page.ts': 'export const title = "Dashboard app";\n',
  'src/api/server.ts': 'export const port = 3000;\n',
};
