import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { done, refuse } from '../core/outcome';
import { report, wantsJson } from './reporter';

describe('report (the one reporter)', () => {
  let root: string;
  let said: { log: string[]; error: string[] };
  const sink = () => ({ log: (text: string) => void said.log.push(text), error: (text: string) => void said.error.push(text) });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-stages-json-'));
    said = { log: [], error: [] };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('--outputFile asks for JSON and gets the document alone in the file; one line on stderr says where', () => {
    expect(wantsJson({ outputFile: 'out/status.json' })).toBe(true);
    expect(wantsJson({})).toBe(false);
    expect(report(done('a table', { stages: [] }), { outputFile: 'out/status.json', root }, sink())).toBe(0);
    expect(readFileSync(join(root, 'out', 'status.json'), 'utf8')).toBe(`${JSON.stringify({ stages: [] }, null, 2)}\n`);
    expect(said).toEqual({ log: [], error: ['JSON written to out/status.json'] });
  });

  it('says a failure on stderr also when the document goes to a file', () => {
    expect(report(refuse('not-a-repository', '/x is not inside a git repository', 'Run it in a checkout.'), { outputFile: 'out/status.json', root }, sink())).toBe(1);
    expect(JSON.parse(readFileSync(join(root, 'out', 'status.json'), 'utf8'))).toMatchObject({ ok: false, kind: 'not-a-repository' });
    expect(said.error).toEqual(['/x is not inside a git repository. Run it in a checkout.', 'JSON written to out/status.json']);
  });

  it('without it, the document goes to stdout and a failure to stderr', () => {
    expect(report(done('table'), {}, sink())).toBe(0);
    expect(report(refuse('not-found', 'no git here'), {}, sink())).toBe(1);
    expect(said).toEqual({ log: ['table'], error: ['no git here.'] });
  });
});
