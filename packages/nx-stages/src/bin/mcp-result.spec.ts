import { done, failed, refuse } from '../core/outcome';
import { legacyOutcome } from './mcp-legacy';
import { FAILURE_META, toolResult } from './mcp-result';

describe('toolResult', () => {
  it('gives the data as structuredContent and the document as text', () => {
    expect(toolResult(done('1  Cart', { stages: [{ id: '1' }] }, ['a warning']))).toEqual({
      content: [{ type: 'text', text: '1  Cart\na warning' }],
      structuredContent: { stages: [{ id: '1' }] },
    });
  });

  it('gives the data as JSON text when the outcome has no document', () => {
    expect(toolResult(done('', { base: 'main' }))).toEqual({ content: [{ type: 'text', text: '{\n  "base": "main"\n}' }], structuredContent: { base: 'main' } });
  });

  it('makes a failure an error result with its kind, message and hint, and no structuredContent to fail the outputSchema', () => {
    expect(toolResult(refuse('not-found', 'no stage "9" in stages/stages.yaml (did you mean 1?)', '`npx nx-stages list` lists them.'))).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'not-found: no stage "9" in stages/stages.yaml (did you mean 1?). `npx nx-stages list` lists them.' }],
      _meta: { [FAILURE_META]: { kind: 'not-found', message: 'no stage "9" in stages/stages.yaml (did you mean 1?)', hint: '`npx nx-stages list` lists them.' } },
    });
  });

  it('keeps the data of a failure that has some (a forecast that found conflicts) and its report', () => {
    const result = toolResult(failed({ kind: 'failed', message: 'the forecast found merge conflicts', conflicts: ['a.ts'] }, { text: '✖ 1 ~ 2: a.ts', data: { success: false } }));
    expect(result).toEqual({
      isError: true,
      content: [{ type: 'text', text: '✖ 1 ~ 2: a.ts\nfailed: the forecast found merge conflicts.' }],
      structuredContent: { success: false },
      _meta: { [FAILURE_META]: { kind: 'failed', message: 'the forecast found merge conflicts', conflicts: ['a.ts'] } },
    });
  });
});

describe('legacyOutcome (until every verb returns an Outcome)', () => {
  it('reads the JSON of a verb called with json: true as the data', () => {
    expect(legacyOutcome({ success: true, output: '{ "base": "main", "stages": [] }' })).toEqual(done('', { base: 'main', stages: [] }));
  });

  it('keeps a plain output as the text, with the data given', () => {
    expect(legacyOutcome({ success: true, output: '/tmp/app-stage-1\n' }, { data: { path: '/tmp/app-stage-1' } })).toEqual(done('/tmp/app-stage-1', { path: '/tmp/app-stage-1' }));
  });

  it("takes a JSON failure's error and hint as the failure, not as data", () => {
    expect(legacyOutcome({ success: false, output: JSON.stringify({ success: false, error: 'base main does not exist', hint: 'Name one.' }) })).toEqual(
      failed({ kind: 'failed', message: 'base main does not exist', hint: 'Name one.' }),
    );
  });

  it('keeps the data of a failed verb that reported some, with the message given', () => {
    expect(legacyOutcome({ success: false, output: '{ "stage": "1", "valid": false }' }, { failure: 'the proof of stage 1 cannot be trusted' })).toEqual(
      failed({ kind: 'failed', message: 'the proof of stage 1 cannot be trusted' }, { data: { stage: '1', valid: false } }),
    );
  });

  it("makes a plain failure's first line the message and keeps a longer report as the text", () => {
    expect(legacyOutcome({ success: false, output: 'Merge of stage 1 refused: no proof' })).toEqual(failed({ kind: 'failed', message: 'Merge of stage 1 refused: no proof' }));
    const report = 'Merge of stage 1 refused: its proof is not valid:\n  - stale';
    expect(legacyOutcome({ success: false, output: report })).toEqual(failed({ kind: 'failed', message: 'Merge of stage 1 refused: its proof is not valid:' }, { text: report }));
  });
});
