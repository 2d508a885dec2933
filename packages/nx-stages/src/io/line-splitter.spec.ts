import { splitLines } from './line-splitter';

function linesOf(chunks: Buffer[]): string[] {
  const lines: string[] = [];
  const splitter = splitLines((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('splitLines', () => {
  it('joins lines cut between chunks, drops \\r before \\n, keeps empty lines', () => {
    expect(linesOf([Buffer.from('one\ntw'), Buffer.from('o\r\n\nthr'), Buffer.from('ee\n')])).toEqual(['one', 'two', '', 'three']);
  });

  it('delivers a last line without a newline at the end', () => {
    expect(linesOf([Buffer.from('done\nno newline')])).toEqual(['done', 'no newline']);
    expect(linesOf([])).toEqual([]);
  });

  it('keeps a UTF-8 character cut between two chunks whole', () => {
    const bytes = Buffer.from('données ✔\n');
    expect(linesOf([bytes.subarray(0, 3), bytes.subarray(3, 10), bytes.subarray(10)])).toEqual(['données ✔']);
  });
});
