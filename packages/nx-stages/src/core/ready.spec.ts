import { readyStages } from './ready';

describe('readyStages', () => {
  const stages = [
    { id: 'a', dependsOn: [] },
    { id: 'b', dependsOn: ['a'] },
    { id: 'c', dependsOn: ['b'] },
    { id: 'd', dependsOn: [] },
    { id: 'e', dependsOn: ['a', 'd'] },
  ];

  it('lists what is not started, not merged, with every dependency merged', () => {
    expect(readyStages(stages, { merged: new Set(['a']), started: new Set(['d']) }).map((stage) => stage.id)).toEqual(['b']);
    expect(readyStages(stages, { merged: new Set(), started: new Set() }).map((stage) => stage.id)).toEqual(['a', 'd']);
    expect(readyStages(stages, { merged: new Set(['a', 'd']), started: new Set(['b']) }).map((stage) => stage.id)).toEqual(['e']);
  });
});
