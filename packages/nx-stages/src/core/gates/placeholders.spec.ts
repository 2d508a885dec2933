import { findReviewPlaceholders, findScaffoldMarkers, isLeftoverName } from './placeholders';

describe('placeholders', () => {
  it('finds scaffold and conflict markers with their lines, not TODOs in code', () => {
    const text = 'const a = 1; // TODO later\nname: {{ projectName }}\n<<<<<<< HEAD\nREPLACE_ME\n';
    expect(findScaffoldMarkers(text)).toEqual([
      { line: 2, text: '{{ projectName }}' },
      { line: 3, text: '<<<<<<<' },
      { line: 4, text: 'REPLACE_ME' },
    ]);
  });
  it('counts TODO and TBD in a review, as whole words', () => {
    expect(findReviewPlaceholders('TODO: write it\nTBD\ntodos are fine? no: todos is not a word match').map((found) => found.text)).toEqual(['TODO', 'TBD']);
    expect(findReviewPlaceholders('Built the dashboard; decisions in ADR-7.')).toEqual([]);
  });
  it('knows leftover file names', () => {
    expect(['a.ts.orig', 'b.rej', 'c~', 'page.template'].every(isLeftoverName)).toBe(true);
    expect(isLeftoverName('src/template.ts')).toBe(false);
  });
});
