import { fail } from './result';

describe('fail', () => {
  it('names its kind, or takes it from what blocked the operation', () => {
    expect(fail('no branch x', 'Check the name.', { kind: 'not-found' })).toEqual({ ok: false, kind: 'not-found', message: 'no branch x', hint: 'Check the name.' });
    expect(fail('conflict', undefined, { conflicts: ['a.txt'] }).kind).toBe('conflict');
    expect(fail('dirty', undefined, { files: ['a.txt'] }).kind).toBe('dirty');
    expect(fail('stopped', undefined, { interrupted: 'SIGINT' }).kind).toBe('interrupted');
    expect(fail('git said no').kind).toBe('unexpected');
  });
});
