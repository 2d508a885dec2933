import { globSyntaxProblem, normalizePattern, overlapExample, pathMatches, patternsOverlap } from './glob-overlap';

// A deliberately naive reference matcher (regex per segment, backtracking over `**`), written
// independently of the automaton code, to check examples and to cross-check on random patterns.

function refExpand(p: string): string[] {
  const group = /\{([^{}]*,[^{}]*)\}/.exec(p); // innermost group first
  if (!group) return [p];
  const [before, after] = [p.slice(0, group.index), p.slice(group.index + group[0].length)];
  return group[1].split(',').flatMap((option) => refExpand(before + option + after));
}

function refSegment(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    const close = c === '[' ? segment.indexOf(']', i + 2) : -1;
    if (c === '\\' && i + 1 < segment.length) re += `\\${segment[++i]}`;
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (close > 0) {
      const body = segment.slice(i + 1, close);
      const members = (/^[!^]/.test(body) ? body.slice(1) : body).replace(/[\]\\^]/g, '\\$&');
      re += /^[!^]/.test(body) ? `[^/${members}]` : `[${members}]`;
      i = close;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

function refMatchSegments(pattern: string[], path: string[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  if (pattern[0] === '**') return refMatchSegments(pattern.slice(1), path) || (path.length > 0 && refMatchSegments(pattern, path.slice(1)));
  return path.length > 0 && refSegment(pattern[0]).test(path[0]) && refMatchSegments(pattern.slice(1), path.slice(1));
}

function refMatches(pattern: string, path: string): boolean {
  const names = path.split('/');
  if (names.some((name) => name === '' || name === '.' || name === '..')) return false;
  return refExpand(pattern.trim()).some((alternative) => {
    const segments = alternative.split('/').filter((s) => s !== '' && s !== '.');
    const glob = /(^|[^\\])[*?[]/.test(alternative);
    if (alternative.endsWith('/') || !glob) segments.push('**'); // folders own what is below
    return refMatchSegments(segments, names);
  });
}

function expectOverlap(a: string, b: string, expected: boolean): void {
  for (const [x, y] of [
    [a, b],
    [b, a],
  ]) {
    expect({ x, y, overlap: patternsOverlap(x, y) }).toEqual({ x, y, overlap: expected });
    const example = overlapExample(x, y);
    if (expected) {
      expect(example).toBeDefined();
      expect({ x, y, example, both: refMatches(x, example!) && refMatches(y, example!) }).toEqual({ x, y, example, both: true });
    } else expect(example).toBeUndefined();
  }
}

describe('patternsOverlap', () => {
  const cases: Array<[string, string, boolean]> = [
    // Literal paths: a file or a folder with everything below it.
    ['src/api/Hubs/DashboardHub.cs', 'src/api/Hubs/DashboardHub.cs', true],
    ['src/app', 'src/app/page.tsx', true],
    ['src/app', 'src/app/deep/er/page.tsx', true],
    ['src/app', 'src/apple', false],
    ['src/app', 'src/apple/page.tsx', false],
    ['src/app/page.tsx', 'src/app/layout.tsx', false],
    ['src', 'lib', false],
    ['src/app/', 'src/app/page.tsx', true],
    ['./src', 'src/x.ts', true],
    ['src//app', 'src/app/x.ts', true],
    ['Src/app', 'src/app', false],
    ['', 'anything/at/all', true],
    // `**`
    ['src/**', 'src/a/b.ts', true],
    ['src/**', 'src', true],
    ['src/**', 'lib/**', false],
    ['src/**', 'srcs/x', false],
    ['**', 'a', true],
    ['**', '**', true],
    ['**/package.json', 'package.json', true],
    ['**/package.json', 'libs/a/package.json', true],
    ['**/package.json', 'libs/*/package.jsonx', false],
    ['**/migrations/**', 'db/migrations/001.sql', true],
    ['**/migrations/**', 'db/migration/*.sql', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/*/*/c', false],
    // A literal may be a folder, so a `**/name` pattern reaches below any literal path.
    ['**/package.json', 'src/app/page.tsx', true], // src/app/page.tsx/package.json
    ['**/migrations/**', 'db/migration/001.sql', true],
    ['**/a/**', '**/b/**', true], // e.g. a/b
    ['a/**/z', '**/b/**', true], // a/b/z
    // Single-segment globs stay at their depth.
    ['src/*', 'src/a', true],
    ['src/*', 'src/a/b', false],
    ['src/*', 'src/a/', true], // the folder src/a itself
    ['src/*/', 'src/a/b', true],
    ['src/*/', 'src/a/', true],
    ['libs/*/package.json', 'libs/a/package.json', true],
    ['libs/*/package.json', 'libs/a/b/package.json', false],
    ['libs/*/package.json', 'libs/**', true],
    ['src/*', 'src/*/*', false],
    ['src/a**b', 'src/axyb', true], // `**` inside a segment is `*`
    ['src/a**b', 'src/a/b', false],
    // Characters within a segment.
    ['*.ts', '*.js', false],
    ['*.ts', '*.d.ts', true],
    ['a*', '*b', true],
    ['a*', 'b*', false],
    ['*a*b*', '*b*a*', true],
    ['?', 'ab', false],
    ['??', 'ab', true],
    ['?', '*', true],
    ['*', '.gitignore', true], // dotfiles are not special
    ['.*', '*.', true], // `.` and `..` are not names, `...` is
    ['[.]', '?', false],
    ['[.][.]', '??', false],
    ['[a-c]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[!a]x', 'ax', false],
    ['[!a]x', 'bx', true],
    ['[^a]x', 'ax', false],
    ['[!a-y]', '[!b-z]', true],
    ['[!a-z]', '[a-z]', false],
    ['[]]', ']', true],
    ['[z-a]', '?', false],
    ['[.-0]', '[!.0]', false], // only `/` is in both, and it is no name character
    ['[!\u0000-~]', '?', true], // only non-ASCII names match both: still found
    ['[ab', '[ab', true], // an unclosed `[` is literal
    ['[ab', 'a', false],
    // Braces.
    ['docs/{a,b}.md', 'docs/b.md', true],
    ['docs/{a,b}.md', 'docs/c.md', false],
    ['{src,lib}/x', 'lib/x', true],
    ['{src/a,lib}/x', 'src/a/x', true],
    ['{a,{b,c}d}', 'cd', true],
    ['{a,{b,c}d}', 'bc', false],
    ['src/{a,b}', 'src/a/deep', true], // glob-free alternatives own their folder
    ['src/{a,b*}', 'src/bx/deep', false],
    ['{a}', 'a', false], // no comma: literal braces
    ['{src/*/,lib}', 'src/a/b', true], // a trailing `/` inside braces still means a folder
    ['{src/*,lib}', 'src/a/b', false],
    ['{a}', '{a}', true],
    // Escapes.
    ['src/\\*', 'src/x', false],
    ['src/\\*', 'src/*', true],
    ['src/\\*', 'src/?', true],
    ['\\[a]', 'a', false],
    // Unicode is compared by code point.
    ['?.md', '😀.md', true],
  ];
  test.each(cases)('%j ~ %j -> %j', (a, b, expected) => expectOverlap(a, b, expected));

  test('examples are short and readable', () => {
    expect(overlapExample('src/app', 'src/app/page.tsx')).toBe('src/app/page.tsx');
    expect(overlapExample('a*', '*b')).toBe('ab');
    expect(overlapExample('**/package.json', 'package.json')).toBe('package.json');
    expect(overlapExample('src/**', 'src/*/x.ts')).toBe('src/x/x.ts');
    expect(overlapExample('src/*', 'src/*')).toBe('src/x');
    expect(overlapExample('src/**', '**/*.tsx')).toBe('src/x.tsx'); // not the shorter src/.tsx
    expect(overlapExample('.*', '*')).toBe('.x');
  });

  test('patterns with many `**` stay cheap', () => {
    expect(patternsOverlap('**/**/**/**/**/**/x', '**/**/**/**/**/y')).toBe(false);
    expect(patternsOverlap('**/**/**/**/**/**/x', '**/**/**/**/**/x')).toBe(true);
    expect(patternsOverlap('*a*a*a*a*a*a*a*b', '*a*a*a*a*a*a*a*c')).toBe(false);
  });

  test('absurd brace expansions are refused, not expanded', () => {
    expect(() => patternsOverlap('{a,b}/'.repeat(13), 'x')).toThrow(/brace alternatives/);
  });
});

describe('normalizePattern', () => {
  test.each([
    ['  src/app  ', 'src/app'],
    ['./src/app', 'src/app'],
    ['././src', 'src'],
    ['src//app///x', 'src/app/x'],
    ['src/./app', 'src/app'],
    ['src/app/', 'src/app'],
    ['src/*/', 'src/*/**'],
    ['src/{a,b}/', 'src/{a,b}/**'],
    ['src/**/', 'src/**'],
    ['./', ''],
    ['src/\\*', 'src/\\*'],
  ])('%j -> %j', (input, expected) => expect(normalizePattern(input)).toBe(expected));
});

describe('randomized cross-check against the reference matcher', () => {
  // Deterministic PRNG (mulberry32) so failures reproduce.
  let seed = 20240611;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  const segments = ['a', 'b', 'c', 'ab', 'a.', '.a', '*', '**', '**', 'a*', '*b', '.*', '?', '??', 'a?', '[ab]', '[!a]', '[a-b]c', '{a,b}', '{a,*/b}', '\\*'];
  const patterns = Array.from({ length: 70 }, () => {
    const depth = 1 + Math.floor(random() * 3);
    const body = Array.from({ length: depth }, () => pick(segments)).join('/');
    return random() < 0.15 ? `${body}/` : body;
  });

  // Every path of depth 1..3 whose names have 1..2 characters from {a, b, c, .}.
  const names = ['a', 'b', 'c', '.'].flatMap((x) => [x, ...['a', 'b', 'c', '.'].map((y) => x + y)]).filter((n) => n !== '.' && n !== '..');
  const paths = names.flatMap((x) => [x, ...names.flatMap((y) => [`${x}/${y}`, ...names.map((z) => `${x}/${y}/${z}`)])]);
  const matched = patterns.map((pattern) => paths.filter((path) => refMatches(pattern, path)));

  test('overlap is exact: a common candidate path implies overlap, and every example matches both', () => {
    let overlapping = 0;
    let disjoint = 0;
    for (let i = 0; i < patterns.length; i++) {
      const mine = new Set(matched[i]);
      for (let j = i; j < patterns.length; j++) {
        const [a, b] = [patterns[i], patterns[j]];
        const common = matched[j].find((path) => mine.has(path));
        const overlap = patternsOverlap(a, b);
        expect({ a, b, overlap: patternsOverlap(b, a) }).toEqual({ a, b, overlap });
        if (common !== undefined) expect({ a, b, common, overlap }).toEqual({ a, b, common, overlap: true });
        if (overlap) {
          const example = overlapExample(a, b)!;
          expect({ a, b, example, both: refMatches(a, example) && refMatches(b, example) }).toEqual({ a, b, example, both: true });
          overlapping++;
        } else disjoint++;
      }
    }
    // The generator must exercise both answers, or the check proves little.
    expect(overlapping).toBeGreaterThan(300);
    expect(disjoint).toBeGreaterThan(300);
  });
});

describe('pathMatches', () => {
  it.each([
    ['package.json', 'package.json', true],
    ['libs/a/package.json', '**/package.json', true],
    ['package.json', '**/package.json', true],
    ['db/migrations/001.sql', '**/migrations/**', true],
    ['src/app', 'src/app', true],
    // A file path is a file: it does not own what could be below it.
    ['src/app/x', '**/migrations/**', false],
    ['src/app/page.tsx', '**/package.json', false],
    ['src/a*b', 'src/a*b', true],
    ['src/aXb', 'src/a\\*b', false],
    ['docs/b.md', 'docs/{a,b}.md', true],
  ])('%s matches %s: %s', (path, pattern, expected) => {
    expect(pathMatches(path, pattern)).toBe(expected);
  });
});

describe('globSyntaxProblem', () => {
  it.each([
    'src/app',
    'src/app/**',
    'libs/shared/{header,styles}/**',
    'src/{a,{b,c}}/x',
    'src/app{,.spec}.ts',
    '{,}',
    'src/[a-z]*.ts',
    'src/[!.]*',
    'src/[]]x',
    'src/a\\{b',
    'src/a\\[b',
    'src/\\*\\*\\*',
    'a**b',
    '**/migrations/**',
    '.env*',
    '',
  ])('accepts %j', (pattern) => {
    expect(globSyntaxProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['libs/{header,styles/**', '"{" at character 6 is never closed', 'close the group'],
    ['libs/{a,{b,c}/**', '"{" at character 6 is never closed', 'close the group'],
    ['libs/a}/**', '"}" at character 7 has no "{" before it', 'write \\} for a literal brace'],
    ['libs/{}/x', '"{}" at character 6 has no alternatives', 'list them inside'],
    ['libs/{header}/**', '"{header}" at character 6 has a single alternative, so it would match the braces literally', 'write header without braces'],
    ['src/***/x.ts', '"***" at character 5 is not a glob', 'use ** for any number of folders'],
    ['src/a[bc/**', '"[" in "a[bc" is never closed', 'close the class'],
    ['src/[]', '"[" in "[]" is never closed', 'close the class'],
    // Braces are read first, as the engine does: a class cannot span alternatives.
    ['src/{[a,b]}/x', '"[" in "[a" is never closed', 'close the class'],
  ])('refuses %j', (pattern, reason, hint) => {
    const problem = globSyntaxProblem(pattern);
    expect(problem?.reason).toBe(reason);
    expect(problem?.hint).toContain(hint);
  });

  it('counts characters as code points', () => {
    expect(globSyntaxProblem('données/{a')?.reason).toBe('"{" at character 9 is never closed');
  });
});
