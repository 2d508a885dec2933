// The example plan of the demo: the dashboard feature from the method's guide, split into stages.
import { jestTestTarget } from '../jest-test-target.mjs';

export const exampleStages = [
  {
    id: '9.1',
    name: 'Dashboard UI Components',
    duration: '2w',
    priority: 'P0',
    dependsOn: [],
    assignee: 'alice',
    files: ['src/web-ui/app/dashboard/**', 'src/web-ui/components/dashboard/**'],
    value: 'Developers can build dashboards with drag-and-drop widgets.',
  },
  {
    id: '9.2',
    name: 'Data Visualization Library',
    duration: '1w',
    priority: 'P1',
    dependsOn: [],
    assignee: 'bob',
    files: ['src/web-ui/lib/charts/**', 'src/web-ui/components/charts/**', 'docs/charts-usage.md'],
    value: 'Any page can render bar, line and pie charts from a data series.',
  },
  {
    id: '9.3',
    name: 'Real-Time WebSocket API',
    duration: '2w',
    priority: 'P0',
    dependsOn: [],
    assignee: 'carol',
    files: ['src/api/hubs/**', 'src/web-ui/lib/stores/websocket-store.js'],
    value: 'Dashboards update live when data changes on the server.',
  },
  {
    id: '9.4',
    name: 'Analytics & Reporting',
    duration: '1.5w',
    priority: 'P1',
    dependsOn: ['9.1'],
    assignee: 'alice',
    files: ['src/web-ui/components/analytics/**'],
    value: 'Users can filter dashboard data and export reports.',
  },
];

/** A Jest project with a plain `jest` test target. */
const jestProject = (name, root) => JSON.stringify({ name, root, targets: { test: jestTestTarget(root) } }, null, 2);

/**
 * web-ui's dev server, as a user writes one: the port from --port (Nx forwards the option to a
 * project.json command) or PORT; each answer reads the checkout's own code (the app's title and
 * the features present), so two worktrees' servers answer differently.
 */
const WEB_UI_SERVER = `const http = require('http');
const fs = require('fs');
const path = require('path');
const flag = process.argv.find((arg) => arg.startsWith('--port='));
const port = Number(flag ? flag.slice('--port='.length) : process.env.PORT || 4200);
http
  .createServer((request, response) => {
    delete require.cache[require.resolve('./app/page')];
    const { title } = require('./app/page');
    const features = ['app/dashboard', 'lib/charts'].filter((folder) => fs.existsSync(path.join(__dirname, folder)));
    response.end(title + ' (' + (features.join(', ') || 'no features yet') + ')\\n');
  })
  .listen(port, () => console.log('web-ui listening on http://localhost:' + port + '/'));
`;

/** web-ui: its Jest tests and a `serve` target in project.json running its small node server. */
const webUiProject = JSON.stringify(
  { name: 'web-ui', root: 'src/web-ui', targets: { test: jestTestTarget('src/web-ui'), serve: { command: 'node server.js', options: { cwd: 'src/web-ui' } } } },
  null,
  2,
);

/** Just enough of an app for the stages' files to point at: two Jest projects, web-ui (with a dev server) and api. */
export const exampleFiles = {
  '.gitignore': 'node_modules\n.nx/cache\n.nx/workspace-data\ncoverage/\n',
  'src/web-ui/project.json': webUiProject,
  'src/web-ui/server.js': WEB_UI_SERVER,
  'src/web-ui/jest.config.js': "module.exports = { testEnvironment: 'node' };\n",
  'src/web-ui/app/page.js': "exports.title = 'Dashboard app';\n",
  'src/web-ui/app/page.test.js': "const { title } = require('./page');\ntest('has a title', () => expect(title).toBe('Dashboard app'));\n",
  'src/api/project.json': jestProject('api', 'src/api'),
  'src/api/jest.config.js': "module.exports = { testEnvironment: 'node' };\n",
  'src/api/server.js': 'exports.port = 3000;\n',
  'src/api/server.test.js': "const { port } = require('./server');\ntest('listens on 3000', () => expect(port).toBe(3000));\n",
};

/** The work each stage commits in its worktree during the demo: code and its tests. */
export const stageWork = {
  9.1: {
    'src/web-ui/app/dashboard/page.js': 'exports.widgets = (names) => names.map((name) => ({ name, x: 0, y: 0 }));\n',
    'src/web-ui/app/dashboard/page.test.js': "const { widgets } = require('./page');\ntest('places widgets', () => expect(widgets(['a'])).toEqual([{ name: 'a', x: 0, y: 0 }]));\n",
    'src/web-ui/app/dashboard/layout.js': 'exports.layout = (widgets) => ({ columns: 12, widgets });\n',
    'src/web-ui/app/dashboard/layout.test.js': "const { layout } = require('./layout');\ntest('lays out on 12 columns', () => expect(layout([]).columns).toBe(12));\n",
    // Also retitles the app: a file outside the stage's declared files (ownership drift).
    'src/web-ui/app/page.js': "exports.title = 'Dashboards';\n",
    'src/web-ui/app/page.test.js': "const { title } = require('./page');\ntest('has a title', () => expect(title).toBe('Dashboards'));\n",
  },
  9.2: {
    'src/web-ui/lib/charts/bar.js': 'exports.bar = (series) => series.map((value) => "#".repeat(value));\n',
    'src/web-ui/lib/charts/bar.test.js': "const { bar } = require('./bar');\ntest('draws bars', () => expect(bar([1, 2])).toEqual(['#', '##']));\n",
    // Retitles the app too: the forecast finds both stages editing the same line, before any merge.
    'src/web-ui/app/page.js': "exports.title = 'Charts';\n",
    'src/web-ui/app/page.test.js': "const { title } = require('./page');\ntest('has a title', () => expect(title).toBe('Charts'));\n",
  },
  9.3: {
    'src/api/hubs/live.js': 'exports.channel = (id) => `dashboard:${id}`;\n',
    'src/api/hubs/live.test.js': "const { channel } = require('./live');\ntest('names channels', () => expect(channel(7)).toBe('dashboard:7'));\n",
  },
};
