import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMeasuredRecords } from '../core/gates/nx-task-run';
import { makeTempDir, useTempRepos } from '../git/test-support/temp-repo';

const REPORTER = join(__dirname, '..', '..', 'reporters', 'jest.cjs');
const JEST = require.resolve('jest/bin/jest');

/** Real Jest, with the reporter the gates add, on a small project in a temp folder. */
function runJest(dir: string, coverage: boolean) {
  const run = spawnSync(process.execPath, [JEST, '--ci', '--rootDir', dir, '--reporters=default', `--reporters=${REPORTER}`, ...(coverage ? ['--coverage'] : [])], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NX_WORKSPACE_ROOT: dir, NX_TASK_TARGET_PROJECT: 'lib', NX_TASK_TARGET_TARGET: 'test', NX_TASK_HASH: '123' },
  });
  return { status: run.status, records: readMeasuredRecords(run.stdout) };
}

describe('the Jest reporter the gates add', () => {
  useTempRepos();
  jest.setTimeout(60_000);

  function project(): string {
    const dir = makeTempDir();
    writeFileSync(join(dir, 'package.json'), '{ "name": "lib", "jest": { "testEnvironment": "node" } }\n');
    writeFileSync(join(dir, 'math.js'), 'exports.add = (a, b) => a + b;\nexports.unused = (a) => {\n  return a * 2;\n};\n');
    writeFileSync(
      join(dir, 'math.test.js'),
      "const { add } = require('./math');\ntest('adds', () => expect(add(1, 2)).toBe(3));\ntest.skip('later', () => {});\ntest('wrong', () => expect(add(1, 1)).toBe(3));\n",
    );
    return dir;
  }

  it('prints one line with the counts, the failing test, coverage totals, the task and the files it read', () => {
    const dir = project();
    const { status, records } = runJest(dir, true);
    expect(status).toBe(1);
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({
      kind: 'tests',
      runner: 'jest',
      task: 'lib:test',
      hash: '123',
      tests: { total: 3, passed: 1, failed: 1, skipped: 1 },
      failures: ['wrong'],
      failedSuites: 0,
    });
    // Coverage arrives after custom reporters ran (Jest's coverage reporter comes last): still counted.
    expect(record.coverage).toEqual({
      lines: { covered: 2, total: 3 },
      statements: { covered: 3, total: 4 },
      functions: { covered: 1, total: 2 },
      branches: { covered: 0, total: 0 },
    });
    const digest = (name: string) =>
      createHash('sha256')
        .update(readFileSync(join(dir, name)))
        .digest('hex')
        .slice(0, 16);
    expect(record.files).toEqual({ 'math.js': digest('math.js'), 'math.test.js': digest('math.test.js') });
  });

  it('without --coverage the line still comes, with no coverage', () => {
    const { records } = runJest(project(), false);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tests: { total: 3 }, coverage: null });
  });
});
