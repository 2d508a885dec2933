import { formatDays, schedule, type Schedule } from './schedule';
import type { Priority } from './model';

type In = { id: string; durationDays: number; priority: Priority; dependsOn: string[] };
const s = (id: string, durationDays: number, dependsOn: string[] = [], priority: Priority = 'P1'): In => ({
  id,
  durationDays,
  priority,
  dependsOn,
});
const byId = (result: Schedule, id: string) => result.stages.find((x) => x.id === id)!;

// The method's own example: 9.1 (2w), 9.2 (1w), 9.3 (2w) independent, 9.4 (1.5w) after 9.1.
// Its authors claimed 3 weeks in parallel; the longest chain is 9.1 + 9.4 = 17.5d.
const example = [s('9.1', 10), s('9.2', 5), s('9.3', 10), s('9.4', 7.5, ['9.1'])];

describe('schedule, unlimited team', () => {
  it('gets the method example right (17.5d, not 15d)', () => {
    const result = schedule(example);
    expect(result).toEqual({
      stages: [
        { id: '9.1', start: 0, finish: 10, slack: 0, critical: true },
        { id: '9.2', start: 0, finish: 5, slack: 12.5, critical: false },
        { id: '9.3', start: 0, finish: 10, slack: 7.5, critical: false },
        { id: '9.4', start: 10, finish: 17.5, slack: 0, critical: true },
      ],
      criticalPath: ['9.1', '9.4'],
      sequentialDays: 32.5,
      parallelDays: 17.5,
      savedDays: 15,
      savedPercent: 46,
    });
    expect(result).not.toHaveProperty('teamSize');
    expect(result.stages[0]).not.toHaveProperty('person');
  });

  it('runs a chain one after another', () => {
    const result = schedule([s('a', 2), s('b', 3, ['a']), s('c', 1, ['b'])]);
    expect(result.stages.map((x) => [x.start, x.finish, x.slack, x.critical])).toEqual([
      [0, 2, 0, true],
      [2, 5, 0, true],
      [5, 6, 0, true],
    ]);
    expect(result.criticalPath).toEqual(['a', 'b', 'c']);
    expect([result.sequentialDays, result.parallelDays, result.savedDays, result.savedPercent]).toEqual([6, 6, 0, 0]);
  });

  it('waits for the slower branch of a diamond', () => {
    const result = schedule([s('a', 1), s('b', 3, ['a']), s('c', 2, ['a']), s('d', 1, ['b', 'c'])]);
    expect(byId(result, 'c')).toEqual({ id: 'c', start: 1, finish: 3, slack: 1, critical: false });
    expect(byId(result, 'd')).toEqual({ id: 'd', start: 4, finish: 5, slack: 0, critical: true });
    expect(result.criticalPath).toEqual(['a', 'b', 'd']);
    expect([result.sequentialDays, result.parallelDays, result.savedDays, result.savedPercent]).toEqual([7, 5, 2, 29]);
  });

  it('adds decimals exactly', () => {
    const chain = schedule([s('a', 0.1), s('b', 0.2, ['a'])]);
    expect(byId(chain, 'b')).toEqual({ id: 'b', start: 0.1, finish: 0.3, slack: 0, critical: true });
    expect([chain.sequentialDays, chain.parallelDays]).toEqual([0.3, 0.3]);

    const apart = schedule([s('a', 0.1), s('b', 0.2)]);
    expect([apart.sequentialDays, apart.parallelDays, apart.savedDays]).toEqual([0.3, 0.2, 0.1]);
    expect(byId(apart, 'a').slack).toBe(0.1);

    const thirds = schedule([s('a', 1 / 3), s('b', 2 / 3, ['a'])]);
    expect([thirds.parallelDays, byId(thirds, 'b').start]).toEqual([1, 0.333]);
  });

  it('handles empty input and zero-length stages', () => {
    expect(schedule([])).toEqual({
      stages: [],
      criticalPath: [],
      sequentialDays: 0,
      parallelDays: 0,
      savedDays: 0,
      savedPercent: 0,
    });

    const zero = schedule([s('z', 0)]);
    expect(zero.stages).toEqual([{ id: 'z', start: 0, finish: 0, slack: 0, critical: true }]);
    expect(zero.criticalPath).toEqual(['z']);

    const milestone = schedule([s('a', 2), s('m', 0, ['a']), s('b', 3, ['m'])]);
    expect(byId(milestone, 'm')).toEqual({ id: 'm', start: 2, finish: 2, slack: 0, critical: true });
    expect(milestone.criticalPath).toEqual(['a', 'm', 'b']);
    expect(milestone.parallelDays).toBe(5);
  });

  it('ignores dependency ids that are not in the input', () => {
    const result = schedule([s('a', 2, ['ghost']), s('b', 1, ['a', 'nope'])]);
    expect(byId(result, 'a')).toEqual({ id: 'a', start: 0, finish: 2, slack: 0, critical: true });
    expect(result.criticalPath).toEqual(['a', 'b']);
    expect(result.parallelDays).toBe(3);
  });

  it('does not hang on a cycle the caller missed (the back edge is dropped)', () => {
    for (const teamSize of [undefined, 1]) {
      const result = schedule([s('a', 1, ['b']), s('b', 2, ['a'])], { teamSize });
      expect(result.parallelDays).toBe(3);
      // Visiting a first (id order) reaches b through a's edge, so b's edge back to a is the one dropped.
      expect(result.criticalPath).toEqual(['b', 'a']);
    }
  });

  it('breaks ties between equal chains by natural id order', () => {
    expect(schedule([s('9.10', 5), s('9.2', 5)]).criticalPath).toEqual(['9.2']);
  });
});

describe('schedule, limited team', () => {
  it('with one person takes as long as doing everything in sequence', () => {
    const result = schedule(example, { teamSize: 1 });
    expect(result.parallelDays).toBe(result.sequentialDays);
    expect([result.savedDays, result.savedPercent, result.teamSize]).toEqual([0, 0, 1]);
    // Longest remaining chain first: 9.1 (17.5d to the end), then 9.3 (10) > 9.4 (7.5) > 9.2 (5).
    expect(result.stages.map((x) => [x.id, x.start, x.finish, x.person])).toEqual([
      ['9.1', 0, 10, 0],
      ['9.2', 27.5, 32.5, 0],
      ['9.3', 10, 20, 0],
      ['9.4', 20, 27.5, 0],
    ]);
    expect(result.criticalPath).toEqual(['9.1', '9.4']);
  });

  it('with two people on the example still finishes in 17.5d', () => {
    const result = schedule(example, { teamSize: 2 });
    // t=0: 9.1 (rank 17.5) and 9.3 (10) start; t=10: 9.4 (7.5) and 9.2 (5) take over.
    expect(result.stages).toEqual([
      { id: '9.1', start: 0, finish: 10, slack: 0, critical: true, person: 0 },
      { id: '9.2', start: 10, finish: 15, slack: 2.5, critical: false, person: 1 },
      { id: '9.3', start: 0, finish: 10, slack: 7.5, critical: false, person: 1 },
      { id: '9.4', start: 10, finish: 17.5, slack: 0, critical: true, person: 0 },
    ]);
    expect(result).toMatchObject({
      criticalPath: ['9.1', '9.4'],
      sequentialDays: 32.5,
      parallelDays: 17.5,
      savedDays: 15,
      savedPercent: 46,
      teamSize: 2,
    });
  });

  it('with more people than stages matches the unlimited schedule', () => {
    const unlimited = schedule(example);
    const big = schedule(example, { teamSize: 10 });
    expect(big.stages.map(({ person, ...rest }) => rest)).toEqual(unlimited.stages);
    expect(big.stages.map((x) => x.person)).toEqual([0, 2, 1, 0]);
    expect({ ...big, stages: [], teamSize: undefined }).toEqual({ ...unlimited, stages: [], teamSize: undefined });
  });

  it('breaks ties by priority, then natural id order', () => {
    const result = schedule([s('9.10', 1), s('9.2', 1), s('9.3', 1, [], 'P0')], { teamSize: 1 });
    expect(result.stages.map((x) => [x.id, x.start])).toEqual([
      ['9.10', 2],
      ['9.2', 1],
      ['9.3', 0],
    ]);
  });

  it('lets a zero-length stage unblock its dependents at once', () => {
    // a heads the longest chain (5d); once it ends, m (3d to go) beats c (2d) and frees b at t=2.
    const result = schedule([s('a', 2), s('m', 0, ['a']), s('b', 3, ['m']), s('c', 2)], { teamSize: 1 });
    expect(result.stages.map((x) => [x.id, x.start, x.finish])).toEqual([
      ['a', 0, 2],
      ['m', 2, 2],
      ['b', 2, 5],
      ['c', 5, 7],
    ]);
    expect(result.parallelDays).toBe(7);
  });
});

describe('schedule, determinism', () => {
  const stages = [s('a', 1), s('b', 3, ['a']), s('c', 2, ['a']), s('d', 1, ['b', 'c']), s('e', 3), s('f', 3, [], 'P0'), s('g', 0.5, ['e'])];
  const reversed = [...stages].reverse();
  const sortById = (r: Schedule) => ({ ...r, stages: [...r.stages].sort((x, y) => x.id.localeCompare(y.id)) });

  it.each([undefined, 1, 2, 3])('gives the same numbers in any input order (teamSize %p)', (teamSize) => {
    const options = teamSize === undefined ? {} : { teamSize };
    expect(sortById(schedule(reversed, options))).toEqual(sortById(schedule(stages, options)));
    expect(schedule(reversed, options).stages.map((x) => x.id)).toEqual(reversed.map((x) => x.id));
  });
});

describe('formatDays', () => {
  it.each([
    [17.5, '17.5d (3.5w)'],
    [10, '10d (2w)'],
    [3, '3d (0.6w)'],
    [0, '0d'],
    [32.5, '32.5d (6.5w)'],
    [0.1 + 0.2, '0.3d (0.1w)'],
    [0.1, '0.1d'],
    [1 / 3, '0.333d (0.1w)'],
  ])('%p -> %p', (days, text) => {
    expect(formatDays(days)).toBe(text);
  });
});
