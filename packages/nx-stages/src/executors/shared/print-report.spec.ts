import type { ExecutorContext } from '@nx/devkit';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printReport, wantsJson } from './print-report';

describe("a target's JSON report", () => {
  let root: string;
  let said: { log: string[]; error: string[] };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-stages-json-'));
    said = { log: [], error: [] };
    jest.spyOn(console, 'log').mockImplementation((text: string) => void said.log.push(text));
    jest.spyOn(console, 'error').mockImplementation((text: string) => void said.error.push(text));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });
  const context = () => ({ root }) as ExecutorContext;

  it('--outputFile asks for JSON and gets the document alone in the file; one line on stderr says where', () => {
    expect(wantsJson({ outputFile: 'out/status.json' })).toBe(true);
    expect(wantsJson({})).toBe(false);
    printReport('{ "stages": [] }', context(), { outputFile: 'out/status.json' }, true);
    expect(readFileSync(join(root, 'out', 'status.json'), 'utf8')).toBe('{ "stages": [] }\n');
    expect(said).toEqual({ log: [], error: ['JSON written to out/status.json'] });
  });

  it('without it, the report goes to stdout when it is the answer, else to stderr', () => {
    printReport('table', context(), {}, true);
    printReport('no git here', context(), {}, false);
    expect(said).toEqual({ log: ['table'], error: ['no git here'] });
  });
});
