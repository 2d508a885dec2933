import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitFile, createRepo, useTempRepos } from '../../git/test-support/temp-repo';
import { clearOldReports, keepEvidence } from './evidence-files';

const globs = { junit: '**/junit*.xml', coverage: '**/coverage-summary.json' };
const junit = '<testsuites><testcase name="a"/></testsuites>';

describe('evidence files of a gate run', () => {
  useTempRepos();

  it('removes only ignored old reports, and keeps what the run wrote — also a file restored with an old time', async () => {
    const root = createRepo();
    commitFile(root, '.gitignore', 'junit.xml\ncoverage/\nnode_modules/\n', 'ignore reports');
    commitFile(root, 'fixtures/junit-sample.xml', junit, 'a tracked fixture that looks like a report');
    writeFileSync(join(root, 'junit.xml'), junit);
    mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'dep', 'junit.xml'), junit);

    const before = await clearOldReports(root, globs);
    expect(existsSync(join(root, 'junit.xml'))).toBe(false);
    expect(existsSync(join(root, 'fixtures/junit-sample.xml'))).toBe(true);
    expect([...before.keys()]).toEqual(['fixtures/junit-sample.xml']);

    // What Nx does on a cache hit: the file comes back with the time it had when it was cached.
    writeFileSync(join(root, 'junit.xml'), junit);
    utimesSync(join(root, 'junit.xml'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    mkdirSync(join(root, 'coverage'));
    writeFileSync(join(root, 'coverage', 'coverage-summary.json'), '{"total":{}}');
    const storeDir = join(root, '.git', 'nx-stages', 'gates', 'stage-1');
    const kept = await keepEvidence(root, globs, before, storeDir, 'test');
    expect(kept.evidence.map((file) => [file.path, file.kind])).toEqual([
      ['evidence/test-1-coverage__coverage-summary.json', 'coverage'],
      ['evidence/test-2-junit.xml', 'junit'],
    ]);
    expect(existsSync(join(storeDir, 'evidence/test-2-junit.xml'))).toBe(true);
  });
});
