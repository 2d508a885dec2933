import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REGISTER } from '../commands/test-support/interrupt-child';

/**
 * Nx loads the plugin and calls createNodes on every command, each a new process without the
 * daemon. This runs that in a fresh Node process on the sources and lists what it loaded.
 */
function createNodesInFreshProcess(root: string): { projects: string[]; loaded: string[] } {
  const script = `${REGISTER}
const plugin = require(${JSON.stringify(join(__dirname, '..', 'index.ts'))});
Promise.resolve(plugin.createNodesV2[1](['stages/stages.yaml'], {}, { workspaceRoot: process.argv[1], nxJsonConfiguration: {} })).then((results) => {
  const projects = results.flatMap(([, result]) => Object.values(result.projects).map((project) => project.name));
  process.stdout.write(JSON.stringify({ projects, loaded: Object.keys(require.cache) }));
});
`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, root], { encoding: 'utf8', env: { ...process.env, NX_WORKSPACE_DATA_DIRECTORY: join(root, 'data') } }));
}

const PARSERS = /(core\/(load-plan|parse-stage|parse-settings|validate)\.ts|node_modules\/(yaml|@nx\/devkit)\/.*)$/;

describe('createNodes on an unchanged plan', () => {
  it('serves it from the cache without loading the parsers, YAML or @nx/devkit; a changed file loads them', () => {
    const root = mkdtempSync(join(tmpdir(), 'nx-stages-nodes-'));
    try {
      mkdirSync(join(root, 'stages', 'a'), { recursive: true });
      writeFileSync(join(root, 'stages', 'stages.yaml'), '');
      writeFileSync(join(root, 'stages', 'a', 'stage.yaml'), 'id: a\nname: A\nduration: 1w\n');
      const first = createNodesInFreshProcess(root);
      expect(first.projects).toEqual(['stages', 'stage-a']);
      expect(first.loaded.filter((file) => PARSERS.test(file)).length).toBeGreaterThan(0);

      const unchanged = createNodesInFreshProcess(root);
      expect(unchanged.projects).toEqual(['stages', 'stage-a']);
      expect(unchanged.loaded.filter((file) => PARSERS.test(file))).toEqual([]);

      writeFileSync(join(root, 'stages', 'a', 'stage.yaml'), 'id: a\nname: A renamed\nduration: 1w\n');
      expect(createNodesInFreshProcess(root).loaded.some((file) => file.endsWith('core/parse-stage.ts'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
