import { done, failed, refuse } from '../core/outcome';
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
