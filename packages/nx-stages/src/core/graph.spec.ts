import { ancestors, findCycles, groupLetter, parallelGroups, parallelPairs } from './graph';
import { dashboardExample, stage } from './test-support/plan-data';

const chain = (edges: Record<string, string[]>) => Object.entries(edges).map(([id, dependsOn]) => stage(id, { dependsOn }));

describe('parallelGroups', () => {
  it('puts the method example in A and B', () => {
    expect(Object.fromEntries(parallelGroups(dashboardExample()))).toEqual({ '9.1': 'A', '9.2': 'A', '9.3': 'A', '9.4': 'B' });
  });

  it('places a stage one letter after its latest dependency', () => {
    const groups = parallelGroups(chain({ a: [], b: ['a'], c: ['b'], d: ['a', 'c'], e: [] }));
    expect(Object.fromEntries(groups)).toEqual({ a: 'A', b: 'B', c: 'C', d: 'D', e: 'A' });
  });

  it('gives no group to stages on or after a cycle, and ignores unknown ids', () => {
    const groups = parallelGroups(chain({ a: ['b'], b: ['a'], c: ['a'], d: ['zzz'] }));
    expect(Object.fromEntries(groups)).toEqual({ d: 'A' });
  });

  it('handles deep chains without recursion limits', () => {
    const stages = Array.from({ length: 3000 }, (_, i) => stage(`s${i}`, { dependsOn: i === 0 ? [] : [`s${i - 1}`] }));
    expect(parallelGroups(stages).get('s2999')).toBe(groupLetter(2999));
    expect(findCycles(stages)).toEqual([]);
  });
});

describe('groupLetter', () => {
  it.each([
    [0, 'A'],
    [1, 'B'],
    [25, 'Z'],
    [26, 'AA'],
    [27, 'AB'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('%d → %s', (level, letters) => {
    expect(groupLetter(level)).toBe(letters);
  });
});

describe('findCycles', () => {
  it('prints a cycle as a path back to its start', () => {
    expect(findCycles(chain({ 1: ['6'], 6: ['4'], 4: ['1'], 2: [] }))).toEqual([['1', '6', '4', '1']]);
  });

  it('finds a self-dependency and separate cycles', () => {
    expect(findCycles(chain({ a: ['a'], b: ['c'], c: ['b'], d: [] }))).toEqual([
      ['a', 'a'],
      ['b', 'c', 'b'],
    ]);
  });

  it('returns a shortest cycle through the smallest id of a tangled component', () => {
    const [cycle] = findCycles(chain({ a: ['b'], b: ['c', 'a'], c: ['a'] }));
    expect(cycle).toEqual(['a', 'b', 'a']);
  });

  it('finds none in an acyclic plan', () => {
    expect(findCycles(dashboardExample())).toEqual([]);
  });
});

describe('ancestors and parallelPairs', () => {
  const stages = chain({ a: [], b: ['a'], c: ['b'], d: [] });

  it('collects transitive dependencies', () => {
    expect([...ancestors(stages).get('c')!].sort()).toEqual(['a', 'b']);
  });

  it('pairs only stages with no dependency path between them', () => {
    expect(parallelPairs(stages)).toEqual([
      ['a', 'd'],
      ['b', 'd'],
      ['c', 'd'],
    ]);
  });
});
