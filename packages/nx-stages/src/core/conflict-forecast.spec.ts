import {
  forecastFailure,
  forecastJson,
  forecastSucceeded,
  mergeOrder,
  ownershipDrift,
  renderForecast,
  stagePairs,
  type ConflictForecast,
  type ForecastStage,
} from './conflict-forecast';
import { dashboardExample, stage } from './test-support/plan-data';

const chain = (edges: Record<string, string[]>) => Object.entries(edges).map(([id, dependsOn]) => stage(id, { dependsOn }));

function forecastOf(overrides: Partial<ConflictForecast> = {}): ConflictForecast {
  const stages: ForecastStage[] = [
    { id: '9.1', name: 'Dashboard UI', branch: 'stage-9.1', state: 'unmerged' },
    { id: '9.2', name: 'Charts', branch: 'stage-9.2', state: 'unmerged' },
    { id: '9.3', name: 'WebSocket API', branch: 'stage-9.3', state: 'unmerged' },
  ];
  return {
    base: 'main',
    stages,
    checked: { stagePairs: 3, againstBase: 3 },
    conflicts: [],
    baseConflicts: [],
    simulation: { order: ['9.1', '9.2', '9.3'], firstConflict: null },
    drift: [],
    ...overrides,
  };
}

describe('mergeOrder', () => {
  it('goes group by group, stable by id inside a group', () => {
    expect(mergeOrder(dashboardExample())).toEqual(['9.1', '9.2', '9.3', '9.4']);
    expect(mergeOrder(chain({ c: [], b: ['c'], a: ['b'], '10': [], '9': [] }))).toEqual(['9', '10', 'c', 'b', 'a']);
  });

  it('orders a group by priority, then id', () => {
    const stages = [
      { id: '1', dependsOn: [], priority: 'P2' as const },
      { id: '2', dependsOn: [], priority: 'P0' as const },
      { id: '3', dependsOn: [] },
      { id: '4', dependsOn: ['1'], priority: 'P0' as const },
    ];
    expect(mergeOrder(stages)).toEqual(['2', '3', '1', '4']);
  });

  it('puts stages on a cycle last instead of dropping them', () => {
    expect(mergeOrder(chain({ x: ['y'], y: ['x'], a: [], b: ['a'] }))).toEqual(['a', 'b', 'x', 'y']);
  });
});

describe('stagePairs', () => {
  it('lists each pair once, in the given order', () => {
    expect(stagePairs(['a', 'b', 'c'])).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    expect(stagePairs(['a'])).toEqual([]);
    expect(stagePairs(Array.from({ length: 50 }, (_, i) => String(i)))).toHaveLength(1225);
  });
});

describe('ownershipDrift', () => {
  const owner = stage('9.1', { folder: 'stages/9.1-dashboard', files: ['src/web-ui/app/dashboard/**', 'docs/dashboard.md', 'libs/{a,b}/'] });

  it("names changed files none of the stage's patterns matches", () => {
    const changed = ['src/web-ui/app/dashboard/page.tsx', 'docs/dashboard.md', 'libs/a/x.ts', 'libs/c/x.ts', 'src/api/hub.ts', 'package.json'];
    expect(ownershipDrift(owner, changed)).toEqual(['libs/c/x.ts', 'src/api/hub.ts', 'package.json']);
  });

  it("never counts the stage's own plan folder or proof folder, but does count other stages' ones", () => {
    const changed = [
      'stages/9.1-dashboard/stage.yaml',
      'stage-proofs/stage-9.1/proof.json',
      'stage-proofs/stage-9.2/proof.json',
      'stages/9.1-dashboard-old/x',
      'stage-proofs/stage-9.10/proof.json',
    ];
    expect(ownershipDrift(owner, changed)).toEqual(['stage-proofs/stage-9.2/proof.json', 'stages/9.1-dashboard-old/x', 'stage-proofs/stage-9.10/proof.json']);
  });

  it('treats every change of a stage that declares no files as drift', () => {
    expect(ownershipDrift(stage('1', { files: [] }), ['a.ts'])).toEqual(['a.ts']);
  });
});

describe('forecastSucceeded and forecastJson', () => {
  it('fails on any conflict, not on drift', () => {
    expect(forecastSucceeded(forecastOf({ drift: [{ stage: '9.1', files: ['x'] }] }))).toBe(true);
    expect(forecastSucceeded(forecastOf({ conflicts: [{ stages: ['9.1', '9.2'], files: ['x'] }] }))).toBe(false);
    expect(forecastSucceeded(forecastOf({ baseConflicts: [{ stage: '9.1', files: ['x'] }] }))).toBe(false);
    expect(forecastSucceeded(forecastOf({ simulation: { order: ['9.1'], firstConflict: { step: 1, stage: '9.1', files: ['x'] } } }))).toBe(false);
  });

  it('carries the verdict and the whole model, JSON-safe', () => {
    const forecast = forecastOf({ conflicts: [{ stages: ['9.1', '9.2'], files: ['x'] }] });
    const json = JSON.parse(JSON.stringify(forecastJson(forecast)));
    expect(json).toEqual({ success: false, ...forecast });
    expect(json.simulation.firstConflict).toBeNull();
  });
});

describe('forecastFailure', () => {
  it('is undefined for a forecast that passes, drift or not', () => {
    expect(forecastFailure(forecastOf({ drift: [{ stage: '9.1', files: ['x'] }] }))).toBeUndefined();
  });

  it('names the conflicting merges and the step the merge of all stops at, with what to do', () => {
    const failure = forecastFailure(
      forecastOf({
        conflicts: [{ stages: ['9.1', '9.2'], files: ['src/shared/theme.ts'] }],
        baseConflicts: [{ stage: '9.3', files: ['package.json'] }],
        simulation: { order: ['9.1', '9.2', '9.3'], firstConflict: { step: 2, stage: '9.2', files: ['src/shared/theme.ts'] } },
      }),
    );
    expect(failure?.kind).toBe('failed');
    expect(failure).toMatchInlineSnapshot(`
      {
        "hint": "Before merging: give the files to one stage, order the stages (dependsOn), or merge one and sync the other (nx run stage-<id>:sync).",
        "kind": "failed",
        "message": "2 conflicting merges forecast (9.1 with 9.2, 9.3 with main); merging all into main in dependency order stops at step 2 (stage 9.2)",
      }
    `);
  });

  it('says when only the combination of branches conflicts', () => {
    const failure = forecastFailure(forecastOf({ simulation: { order: ['9.1', '9.2', '9.3'], firstConflict: { step: 3, stage: '9.3', files: ['a'] } } }));
    expect(failure?.message).toMatchInlineSnapshot(`"Merging all into main in dependency order stops at step 3 (stage 9.3), though no single pair conflicts"`);
  });

  it('shortens a long list of conflicting merges', () => {
    const conflicts = Array.from({ length: 7 }, (_, i): { stages: [string, string]; files: string[] } => ({ stages: ['9.1', `8.${i + 1}`], files: ['x'] }));
    expect(forecastFailure(forecastOf({ conflicts }))?.message).toMatchInlineSnapshot(
      `"7 conflicting merges forecast (9.1 with 8.1, 9.1 with 8.2, 9.1 with 8.3, 9.1 with 8.4, 9.1 with 8.5 and 2 more)"`,
    );
  });
});

describe('renderForecast', () => {
  it('says all is well, with what was checked', () => {
    const text = renderForecast(forecastOf()).join('\n');
    expect(text).toContain('3 stage branches against main');
    expect(text).toContain('Checked 3 pairs of stages, 3 branches against main');
    expect(text).toContain('✔ No two stage branches conflict');
    expect(text).toContain('✔ Merging all 3 in dependency order would succeed (9.1 → 9.2 → 9.3 into main)');
    expect(text.split('\n').pop()).toBe('✔ No conflicts forecast.');
  });

  it('names both stages and the files of each conflicting pair, the base conflicts and the first failing step', () => {
    const text = renderForecast(
      forecastOf({
        conflicts: [{ stages: ['9.1', '9.2'], files: ['src/shared/theme.ts', 'src/app.ts'] }],
        baseConflicts: [{ stage: '9.3', files: ['package.json'] }],
        simulation: { order: ['9.1', '9.2', '9.3'], firstConflict: { step: 2, stage: '9.2', files: ['src/shared/theme.ts'] } },
      }),
    ).join('\n');
    expect(text).toMatch(/9\.1 Dashboard UI +9\.2 Charts +src\/shared\/theme\.ts, src\/app\.ts/);
    expect(text).toMatch(/9\.3 WebSocket API +package\.json/);
    expect(text).toContain('✖ 1 stage branch would conflict with main');
    expect(text).toContain('stops at step 2 of 3');
    expect(text).toContain('merging 9.2 Charts (stage-9.2) would conflict in src/shared/theme.ts');
    expect(text.split('\n').pop()).toMatch(/^✖ 2 conflicting merges forecast; merging all in dependency order stops at step 2\. Before merging:/);
  });

  it('explains a conflict that only the combination of branches causes', () => {
    const text = renderForecast(forecastOf({ simulation: { order: ['9.1', '9.2', '9.3'], firstConflict: { step: 3, stage: '9.3', files: ['a'] } } })).join('\n');
    expect(text).toContain('though no single pair conflicts');
  });

  it('reports drift per stage as a warning, and what was not forecast and why', () => {
    const forecast = forecastOf({
      stages: [
        ...forecastOf().stages,
        { id: '9.4', name: 'Reports', branch: 'stage-9.4', state: 'no-branch' },
        { id: '9.5', name: 'Old', branch: 'stage-9.5', state: 'merged' },
        { id: '9.6', name: 'Fresh', branch: 'stage-9.6', state: 'no-commits' },
      ],
      drift: [{ stage: '9.2', files: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }],
    });
    const text = renderForecast(forecast).join('\n');
    expect(text).toContain('⚠ Ownership drift in 1 stage');
    expect(text).toMatch(/9\.2 Charts +a, b, c, d, e and 2 more \(--json lists all\)/);
    expect(text).toContain('Not forecast: 9.4 (no branch yet), 9.5 (already merged), 9.6 (no commits yet).');
    expect(text.split('\n').pop()).toBe('✔ No conflicts forecast. Ownership drift in 1 stage is a warning, not a failure.');
  });

  it('shortens a long merge order', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `1.${i + 1}`);
    const text = renderForecast(forecastOf({ simulation: { order: ids, firstConflict: null } })).join('\n');
    expect(text).toContain('(1.1 → 1.2');
    expect(text).toContain('→ 1.11 → … → 1.50 into main)');
  });

  it('says when there is nothing to forecast', () => {
    const stages: ForecastStage[] = [{ id: '1', name: 'One', branch: 'stage-1', state: 'no-branch' }];
    const text = renderForecast(forecastOf({ stages, checked: { stagePairs: 0, againstBase: 0 }, simulation: { order: [], firstConflict: null } }));
    expect(text[0]).toContain('Nothing to forecast');
    expect(text.join('\n')).toContain('Not forecast: 1 (no branch yet).');
  });
});
