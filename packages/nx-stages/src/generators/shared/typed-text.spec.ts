import { typedText } from './typed-text';

describe('typedText', () => {
  const argv = ['node', 'nx', 'g', 'nx-stages:stage', '9.10', '--name=Reports', '--dependsOn=9.20', '--assignee', '007'];

  it('keeps strings as they are', () => {
    expect(typedText('9.1', 'id', argv)).toBe('9.1');
    expect(typedText('a,b', 'dependsOn', argv)).toBe('a,b');
  });

  it('recovers a positional id that yargs read as a number', () => {
    expect(typedText(9.1, undefined, argv)).toBe('9.10');
  });

  it('recovers flag values, with = or as the next word', () => {
    expect(typedText(9.2, 'dependsOn', argv)).toBe('9.20');
    expect(typedText(7, 'assignee', argv)).toBe('007');
  });

  it('recovers kebab-case flags', () => {
    expect(typedText(9.2, 'dependsOn', ['--depends-on=9.20'])).toBe('9.20');
  });

  it('falls back to the number when argv does not have it (programmatic calls)', () => {
    expect(typedText(9.1, 'dependsOn', ['node', 'x'])).toBe('9.1');
    expect(typedText(undefined, 'id', argv)).toBeUndefined();
  });
});
