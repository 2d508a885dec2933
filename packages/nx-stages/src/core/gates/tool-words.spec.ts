import { cap, stripAnsi, toolWords } from './tool-words';

describe('stripAnsi', () => {
  it('removes colours, OSC 8 hyperlinks and stray controls, and reads \\r as a line end', () => {
    const linked = '\u001b[91m➤\u001b[39m \u001b]8;;https://yarnpkg.com/advanced/error-codes#yn0035\u0007YN0035\u001b]8;;\u0007: failed';
    expect(stripAnsi(linked)).toBe('➤ YN0035: failed');
    expect(stripAnsi('a\r\nb\rc\u0007d')).toBe('a\nb\ncd');
  });
});

describe('toolWords', () => {
  it('starts at the first line that reads like an error and skips warnings, stack frames and log pointers', () => {
    const stderr = [
      'npm warn config production Use `--omit=dev` instead.',
      'npm error code ECONNREFUSED',
      'npm error network request to https://registry.example/-/npm/v1/security/advisories/bulk failed',
      '    at ClientRequest.<anonymous> (/usr/lib/node_modules/npm/x.js:1:1)',
      'npm error A complete log of this run can be found in: ~/.npm/_logs/x.log',
    ].join('\n');
    expect(toolWords('', stderr)).toBe('npm error code ECONNREFUSED; npm error network request to https://registry.example/-/npm/v1/security/advisories/bulk failed');
  });

  it('keeps warnings when they are all the tool said, and nothing when it said nothing', () => {
    expect(toolWords('', '[WARN] the registry is slow\n')).toBe('[WARN] the registry is slow');
    expect(toolWords('\n\n', '   \n')).toBeUndefined();
    expect(toolWords('{"type":"info","data":"x"}\n', '')).toBeUndefined();
  });

  it('joins wrapped lines and keeps at most four', () => {
    expect(toolWords('', '  × first half of a url https://x/y/\n  │ z and the rest\n')).toBe('first half of a url https://x/y/z and the rest');
    expect(toolWords('', 'error 1\nerror 2\nerror 3\nerror 4\nerror 5\n')).toBe('error 1; error 2; error 3; error 4');
  });

  it('skips a minified source dump printed with a crash', () => {
    expect(toolWords('', `/x/yarn.js:148\n${'a'.repeat(5000)}\n   ^\n\nTypeError: boom\n`)).toBe('TypeError: boom');
  });
});

describe('cap', () => {
  it('cuts by code points and marks the cut', () => {
    expect(cap('abcdef', 4)).toBe('abc…');
    expect(cap('📊📊📊', 3)).toBe('📊📊📊');
  });
});
