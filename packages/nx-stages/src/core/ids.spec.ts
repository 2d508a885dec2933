import { compareIds, invalidIdReason, MAX_ID_LENGTH, slugify } from './ids';

describe('invalidIdReason', () => {
  it.each(['9.1', '10', 'auth-2', 'A_b.c-3', 'x'.repeat(MAX_ID_LENGTH)])('accepts %s', (id) => {
    expect(invalidIdReason(id)).toBeUndefined();
  });

  it.each([
    ['../x', 'letters, digits'],
    ['a/b', 'letters, digits'],
    ['$(touch x)', 'letters, digits'],
    ['x;rm -rf y', 'letters, digits'],
    ['', 'empty'],
    ['x'.repeat(MAX_ID_LENGTH + 1), 'characters long'],
    ['été', 'letters, digits'],
    ['.hidden', 'letters, digits'],
    ['-x', 'letters, digits'],
    [' 9.1', 'letters, digits'],
    ['a..b', '".."'],
    ['x.', 'ends with "."'],
    ['x.lock', '.lock'],
  ])('refuses %j', (id, reason) => {
    expect(invalidIdReason(id)).toContain(reason);
  });

  it('refuses non-text ids', () => {
    expect(invalidIdReason(undefined)).toContain('must be a string');
    expect(invalidIdReason({})).toContain('must be a string');
  });
});

describe('slugify', () => {
  it('makes short ASCII folder names', () => {
    expect(slugify('Dashboard UI Components')).toBe('dashboard-ui-components');
    expect(slugify('Analytics & Reporting')).toBe('analytics-reporting');
    expect(slugify('Tableau de bord — données 📊')).toBe('tableau-de-bord-donnees');
    expect(slugify('$(touch x); rm -rf /')).toBe('touch-x-rm-rf');
    expect(slugify('数据')).toBe('');
    expect(slugify('a'.repeat(100)).length).toBeLessThanOrEqual(40);
  });
});

describe('compareIds', () => {
  it('orders ids naturally', () => {
    expect(['9.10', '9.2', '10', '9.1'].sort(compareIds)).toEqual(['9.1', '9.2', '9.10', '10']);
  });

  it('is one total order, the same in every locale: code points between the numbers', () => {
    expect(['a', 'B'].sort(compareIds)).toEqual(['B', 'a']);
    expect(['Auth-10', 'auth-2', 'Auth-2'].sort(compareIds)).toEqual(['Auth-2', 'Auth-10', 'auth-2']);
    expect(['x_1', 'x-1'].sort(compareIds)).toEqual(['x-1', 'x_1']);
    expect(['9.1', '9.01'].sort(compareIds)).toEqual(['9.01', '9.1']);
    for (const [a, b] of [
      ['x_1', 'x-1'],
      ['9.01', '9.1'],
      ['a', 'B'],
    ])
      expect(Math.sign(compareIds(a, b))).toBe(-Math.sign(compareIds(b, a)));
  });
});
