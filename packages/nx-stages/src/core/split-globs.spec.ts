import { splitGlobs } from './split-globs';

describe('splitGlobs', () => {
  it.each([
    ['libs/shared/{header,styles}/**', ['libs/shared/{header,styles}/**']],
    ['a/**,b/**', ['a/**', 'b/**']],
    [' a/** ,  b/** , ', ['a/**', 'b/**']],
    ['src/{a,{b,c}}/x,lib/**', ['src/{a,{b,c}}/x', 'lib/**']],
    ['src/{a,b}/{c,d}.ts,docs', ['src/{a,b}/{c,d}.ts', 'docs']],
    ['src/app{,.spec}.ts', ['src/app{,.spec}.ts']],
    // A class may hold a comma; an unclosed `[` is literal, so its comma splits.
    ['src/a[,-]b.ts,c', ['src/a[,-]b.ts', 'c']],
    ['src/[],]x,y', ['src/[],]x', 'y']],
    ['src/a[b,c', ['src/a[b', 'c']],
    // `\,` is a comma of the glob (the engine reads it literally), kept as written.
    ['files/a\\,b.txt,c', ['files/a\\,b.txt', 'c']],
    ['src/\\{a,b}', ['src/\\{a', 'b}']],
    // An unclosed `{` keeps the rest together, so validation refuses the glob as typed.
    ['libs/{header,styles/**', ['libs/{header,styles/**']],
    // A stray `}` does not open anything.
    ['a}/**,b', ['a}/**', 'b']],
    ['', []],
    [',,', []],
  ])('%j → %j', (text, expected) => {
    expect(splitGlobs(text)).toEqual(expected);
  });
});
