import { fail, failureText } from './result';

describe('failureText', () => {
  it('ends the message once, then gives the hint', () => {
    expect(failureText(fail('The base branch "dev" (from --base) does not exist', 'Name an existing branch, or leave it out to detect the base from git.'))).toBe(
      'The base branch "dev" (from --base) does not exist. Name an existing branch, or leave it out to detect the base from git.',
    );
    expect(failureText(fail('stage 1 has no branch yet.'))).toBe('stage 1 has no branch yet.');
    expect(failureText(fail('why?', 'Ask.'))).toBe('why? Ask.');
  });
});
