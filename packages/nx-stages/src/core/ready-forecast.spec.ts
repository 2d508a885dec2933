import { holdByForecast } from './ready-forecast';

describe('holdByForecast', () => {
  const quiet = { firstConflict: null, order: [] };
  const forecast = {
    stages: ['1', '2', '3', '4'].map((id) => ({ id, name: `Stage ${id}`, branch: `stage-${id}`, state: 'unmerged' as const })),
    conflicts: [],
    baseConflicts: [],
    simulation: quiet,
    drift: [],
  };
  const ready = [
    { id: '3', files: ['libs/cart/**'] },
    { id: '4', files: ['libs/search/**'] },
  ];

  it('keeps every ready stage free when the forecast touches none of their files', () => {
    expect(holdByForecast(ready, { ...forecast, drift: [{ stage: '1', files: ['libs/auth/login.ts'] }] })).toEqual({ free: ready, held: [] });
  });

  it('holds a stage whose files a stage in progress drifts into, naming it and the files', () => {
    const drift = [{ stage: '2', files: ['libs/cart/total.ts', 'README.md'] }];
    expect(holdByForecast(ready, { ...forecast, drift })).toEqual({ free: [ready[1]], held: [{ id: '3', on: ['2'], files: ['libs/cart/total.ts'] }] });
  });

  it('holds a stage whose files are in a forecast conflict, by both stages of the pair, in merge order', () => {
    const conflicts = [{ stages: ['1', '2'] as [string, string], files: ['libs/search/index.ts'] }];
    const simulation = { order: ['1', '2'], firstConflict: { step: 2, stage: '2', files: ['libs/search/index.ts'] } };
    expect(holdByForecast(ready, { ...forecast, conflicts, simulation, baseConflicts: [{ stage: '1', files: ['libs/cart/a.ts'] }] })).toEqual({
      free: [],
      held: [
        { id: '3', on: ['1'], files: ['libs/cart/a.ts'] },
        { id: '4', on: ['1', '2'], files: ['libs/search/index.ts'] },
      ],
    });
  });
});
