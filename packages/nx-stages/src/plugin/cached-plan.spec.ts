import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pluginVersion } from '../io/plugin-version';
import { loadPlanCached, loadPlanForNodes, planOfNodes, saveDiskCache } from './cached-plan';

describe('loadPlanCached', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-stages-cache-'));
    write('stages/stages.yaml', '');
    write('stages/a/stage.yaml', 'id: a\nname: A\nduration: 1w\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('returns the same parsed plan while the files are unchanged', () => {
    const first = loadPlanCached(root, 'stages');
    expect(loadPlanCached(root, 'stages')).toBe(first);
  });

  it('sees every edit, new stage and removed stage', () => {
    expect(loadPlanCached(root, 'stages').stages.map((s) => s.name)).toEqual(['A']);
    write('stages/a/stage.yaml', 'id: a\nname: A renamed\nduration: 1w\n');
    expect(loadPlanCached(root, 'stages').stages.map((s) => s.name)).toEqual(['A renamed']);
    write('stages/b/stage.yaml', 'id: b\nname: B\nduration: 1w\n');
    expect(loadPlanCached(root, 'stages').stages.map((s) => s.id)).toEqual(['a', 'b']);
    rmSync(join(root, 'stages/a'), { recursive: true });
    expect(loadPlanCached(root, 'stages').stages.map((s) => s.id)).toEqual(['b']);
  });

  it('writes the cache into Nx workspace data', () => {
    loadPlanCached(root, 'stages');
    saveDiskCache(root);
    expect(existsSync(join(root, '.nx', 'workspace-data', 'nx-stages-plans.json'))).toBe(true);
  });
});

describe('loadPlanCached across processes', () => {
  it("keeps each stage file's parse in the disk cache, for the next Nx process", () => {
    const root = mkdtempSync(join(tmpdir(), 'nx-stages-cache-'));
    try {
      mkdirSync(join(root, 'stages', 'a'), { recursive: true });
      mkdirSync(join(root, 'stages', 'b'), { recursive: true });
      writeFileSync(join(root, 'stages', 'stages.yaml'), '');
      writeFileSync(join(root, 'stages', 'a', 'stage.yaml'), 'id: a\nname: A\nduration: 1w\n');
      writeFileSync(join(root, 'stages', 'b', 'stage.yaml'), 'id: b\nname: B\nduration: 1w\n');
      loadPlanCached(root, 'stages');
      saveDiskCache(root);
      const cache = JSON.parse(readFileSync(join(root, '.nx', 'workspace-data', 'nx-stages-plans.json'), 'utf8'));
      expect(Object.keys(cache.entries).sort()).toEqual(['stages/a/stage.yaml', 'stages/b/stage.yaml']);
      expect(cache.entries['stages/a/stage.yaml'].parsed.stage.name).toBe('A');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the disk cache and the plugin version', () => {
  it('reads parses written by this version of nx-stages only: an upgrade parses again', () => {
    const root = mkdtempSync(join(tmpdir(), 'nx-stages-cache-'));
    const text = 'id: a\nname: A\nduration: 1w\n';
    try {
      mkdirSync(join(root, 'stages', 'a'), { recursive: true });
      writeFileSync(join(root, 'stages', 'stages.yaml'), '');
      writeFileSync(join(root, 'stages', 'a', 'stage.yaml'), text);
      const [current] = loadPlanCached(root, 'stages').stages;
      // A parse of the same file as an older release might have made it: same text, other result.
      const stale = { hash: createHash('sha256').update(`stages/a\0${text}`).digest('hex'), parsed: { stage: { ...current, name: 'Parsed by an old release' }, problems: [] } };
      const nameWith = (plugin: string) => {
        mkdirSync(join(root, '.nx', 'workspace-data'), { recursive: true });
        writeFileSync(join(root, '.nx', 'workspace-data', 'nx-stages-plans.json'), JSON.stringify({ version: 2, plugin, entries: { 'stages/a/stage.yaml': stale } }));
        let name = '';
        jest.isolateModules(() => {
          name = (jest.requireActual('./cached-plan') as typeof import('./cached-plan')).loadPlanCached(root, 'stages').stages[0].name;
        });
        return name;
      };
      expect(nameWith(pluginVersion())).toBe('Parsed by an old release');
      expect(nameWith('0.1.0')).toBe('A');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** A plan folder `stages` with `stages.yaml` and stage `a` in a fresh temp root, removed after `check`. */
function withPlan(settings: string, stageA: string, check: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'nx-stages-cache-'));
  try {
    mkdirSync(join(root, 'stages', 'a'), { recursive: true });
    writeFileSync(join(root, 'stages', 'stages.yaml'), settings);
    writeFileSync(join(root, 'stages', 'a', 'stage.yaml'), stageA);
    check(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the whole plan in the disk cache', () => {
  const freshProcessLoad = (root: string) => {
    let plan: ReturnType<typeof loadPlanCached> | undefined;
    jest.isolateModules(() => {
      const fresh = jest.requireActual('./cached-plan') as typeof import('./cached-plan');
      plan = fresh.loadPlanCached(root, 'stages');
      fresh.saveDiskCache(root);
    });
    return plan!;
  };

  it('serves an unchanged plan to the next process as it was loaded, and an edited one parsed again', () =>
    withPlan('', 'id: a\nname: A\nduration: 1w\nassignee: alice\n', (root) => {
      const first = freshProcessLoad(root);
      const cache = JSON.parse(readFileSync(join(root, '.nx', 'workspace-data', 'nx-stages-plans.json'), 'utf8'));
      expect(Object.keys(cache.plans)).toEqual(['stages']);
      expect(freshProcessLoad(root)).toEqual(JSON.parse(JSON.stringify(first)));
      writeFileSync(join(root, 'stages', 'a', 'stage.yaml'), 'id: a\nname: A renamed\nduration: 1w\n');
      expect(freshProcessLoad(root).stages.map((stage) => [stage.name, stage.assignee])).toEqual([['A renamed', undefined]]);
    }));

  it('gives gate and profile names such as __proto__ and constructor back as plain data, as the parser made them', () =>
    withPlan(
      'gates:\n  __proto__: { run: "node a.js" }\n  constructor: { run: "node b.js" }\nprofiles:\n  constructor: [__proto__, constructor]\n',
      'id: a\nname: A\nduration: 1w\n',
      (root) => {
        freshProcessLoad(root);
        const { settings } = freshProcessLoad(root);
        expect(Object.getPrototypeOf(settings.gates)).toBeNull();
        expect(Object.getPrototypeOf(settings.profiles)).toBeNull();
        expect(Object.keys(settings.gates)).toEqual(['__proto__', 'constructor']);
        expect(settings.gates.__proto__).toEqual({ run: 'node a.js' });
        expect(settings.profiles.constructor).toEqual(['__proto__', 'constructor']);
        expect(settings.profiles.toString).toBeUndefined();
      },
    ));
});

describe('planOfNodes: the plan createDependencies draws edges from', () => {
  it('is the plan createNodes loaded in this process, read from disk when createNodes did not run', () =>
    withPlan('', 'id: a\nname: A\nduration: 1w\n', (root) => {
      expect(planOfNodes(root, 'stages').stages.map((stage) => stage.name)).toEqual(['A']);
      const nodes = loadPlanForNodes(root, 'stages');
      writeFileSync(join(root, 'stages', 'a', 'stage.yaml'), 'id: a\nname: A renamed\nduration: 1w\n');
      expect(planOfNodes(root, 'stages')).toBe(nodes);
      expect(loadPlanForNodes(root, 'stages').stages.map((stage) => stage.name)).toEqual(['A renamed']);
      expect(planOfNodes(root, 'stages').stages.map((stage) => stage.name)).toEqual(['A renamed']);
    }));
});
