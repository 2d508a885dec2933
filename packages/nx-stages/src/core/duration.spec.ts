import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['2w', 10],
    ['1.5w', 7.5],
    ['3d', 3],
    ['0.1d', 0.1],
    [' 1 w ', 5],
    ['0.3w', 1.5],
  ])('%j is %d working days', (text, days) => {
    expect(parseDuration(text)).toBe(days);
  });

  it.each(['soon', '2 weeks', '1.5', 'w', '-1d', '1e3d', ''])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('refuses non-text', () => {
    expect(parseDuration(2)).toBeUndefined();
    expect(parseDuration(null)).toBeUndefined();
  });
});
