import { readiness, readinessLine, readyStages } from './ready';

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

describe('readiness', () => {
  const stages = [
    { id: '1', dependsOn: [] },
    { id: '2', dependsOn: [] },
    { id: '3', dependsOn: ['1'] },
    { id: '4', dependsOn: ['1'] },
    { id: '5', dependsOn: [] },
    { id: '6', dependsOn: ['4', '5', '1'] },
  ];

  it('splits the stages not started into ready and waiting, each waiting one with what it still needs', () => {
    const facts = { merged: new Set(['1']), started: new Set(['1', '2']) };
    expect(readiness(stages, facts)).toEqual({
      ready: ['3', '4', '5'],
      waiting: [{ id: '6', needs: ['4', '5'] }],
    });
    // A dependency started but not merged still holds its dependants back.
    expect(readiness(stages, { merged: new Set(), started: new Set(['1']) })).toEqual({
      ready: ['2', '5'],
      waiting: [
        { id: '3', needs: ['1'] },
        { id: '4', needs: ['1'] },
        { id: '6', needs: ['4', '5', '1'] },
      ],
    });
  });

  it('is one line for status', () => {
    expect(readinessLine({ ready: ['3', '5'], waiting: [{ id: '4', needs: ['1'] }] })).toMatchInlineSnapshot(`"ready to start: 3, 5 · waiting: 4 (needs 1)"`);
    expect(
      readinessLine({
        ready: [],
        waiting: [
          { id: '4', needs: ['1'] },
          { id: '6', needs: ['4', '5'] },
        ],
      }),
    ).toMatchInlineSnapshot(`"ready to start: none · waiting: 4 (needs 1), 6 (needs 4, 5)"`);
    expect(readinessLine({ ready: ['2'], waiting: [] })).toMatchInlineSnapshot(`"ready to start: 2"`);
    expect(readinessLine({ ready: [], waiting: [] })).toMatchInlineSnapshot(`"ready to start: none (every stage is started or merged)"`);
  });
});
