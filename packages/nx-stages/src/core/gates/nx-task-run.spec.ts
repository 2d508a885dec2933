import {
  judgeMeasuredTests,
  judgeTargetTasks,
  measuredOfTask,
  mismatchedFiles,
  readMeasuredRecords,
  summarizeTask,
  type MeasuredTask,
  type NxTaskRecord,
  type NxTaskStatus,
} from './nx-task-run';

const task = (project: string, status: NxTaskStatus, target = 'lint'): NxTaskRecord => ({
  id: `${project}:${target}`,
  project,
  target,
  status,
  code: status === 'failure' ? 1 : 0,
  hash: `h-${project}`,
  startTime: 1,
  endTime: 2,
  terminalOutput: '',
});
const line = (record: object) => `[nx-stages:measured] ${JSON.stringify({ version: 1, reporter: 'nx-stages@0.1.0', task: 'a:test', hash: 'h', files: {}, ...record })}`;

describe('reading the reporter lines out of a task terminal output', () => {
  it('finds them among colours, carriage returns (a pty) and other output, in order', () => {
    const output = [
      '\u001b[1mPASS\u001b[22m src/a.spec.ts\r',
      `\u001b[2m${line({ kind: 'tests', runner: 'jest', tests: { total: 2, passed: 2, failed: 0, skipped: 0 } })}\u001b[22m\r`,
      line({
        kind: 'coverage',
        runner: 'vitest',
        coverage: { lines: { covered: 9, total: 10 }, branches: { covered: 1, total: 2 }, functions: { covered: 1, total: 1 }, statements: { covered: 9, total: 10 } },
      }),
      'Tests: 2 passed',
    ].join('\n');
    const records = readMeasuredRecords(output);
    expect(records.map((record) => record.kind)).toEqual(['tests', 'coverage']);
    expect(measuredOfTask(records)).toMatchObject({ tests: { total: 2 }, coverage: { lines: { covered: 9, total: 10 } } });
  });

  it('skips a cut line, another version and a test that prints the marker with junk', () => {
    const output = ['[nx-stages:measured] {"version":1,"kind":"tes', line({ version: 2, kind: 'tests' }), '[nx-stages:measured] not json', line({ kind: 'other' })].join('\n');
    expect(readMeasuredRecords(output)).toEqual([]);
    expect(measuredOfTask([])).toEqual({ tests: null, coverage: null, failures: [], failedSuites: 0 });
  });
});

describe('a target gate judged from Nx task results', () => {
  it('n/a without tasks; pass when every task succeeded, saying what came from the cache', () => {
    expect(judgeTargetTasks('lint', [])).toEqual({ status: 'n/a', detail: 'no affected project has a lint target' });
    expect(judgeTargetTasks('lint', [summarizeTask(task('a', 'success')), summarizeTask(task('b', 'local-cache'))])).toEqual({
      status: 'pass',
      detail: 'lint of a, b succeeded (1 from the Nx cache)',
    });
    expect(judgeTargetTasks('lint', [summarizeTask(task('a', 'remote-cache'))]).valueOf()).toMatchObject({ detail: expect.stringContaining('all from the Nx cache') });
  });

  it('fail names the failing projects; tasks Nx never ran (fast-fail) mean not run', () => {
    expect(judgeTargetTasks('lint', [summarizeTask(task('a', 'failure')), summarizeTask(task('b', 'success'))])).toEqual({ status: 'fail', detail: 'lint failed in a' });
    expect(judgeTargetTasks('lint', [summarizeTask(task('a', 'skipped')), summarizeTask(task('b', 'stopped'))])).toBe('not-run');
    expect(judgeTargetTasks('lint', [summarizeTask(task('a', 'skipped')), summarizeTask(task('b', 'success'))])).toMatchObject({
      status: 'fail',
      detail: 'lint did not run in a (skipped)',
    });
  });
});

describe('the test gate judged from measured tasks', () => {
  const measured = (project: string, tests: MeasuredTask['tests'], extra: Partial<MeasuredTask> = {}, status: NxTaskStatus = 'success'): MeasuredTask => ({
    task: summarizeTask(task(project, status, 'test')),
    tests,
    failures: [],
    failedSuites: 0,
    ...extra,
  });
  const counts = (passed: number, failed = 0, skipped = 0) => ({ total: passed + failed + skipped, passed, failed, skipped });

  it('passes when every task was measured and nothing failed or was skipped', () => {
    expect(judgeMeasuredTests('test', [measured('a', counts(2)), measured('b', counts(1), {}, 'local-cache')], counts(3), false)).toEqual({
      status: 'pass',
      detail: '3/3 passed, 0 failed, 0 skipped in 2 projects (1 from the Nx cache)',
    });
  });

  it('names the failing tests, with their project', () => {
    const verdict = judgeMeasuredTests('test', [measured('a', counts(1, 1), { failures: ['math › adds'] }, 'failure')], counts(1, 1), false);
    expect(verdict).toEqual({ status: 'fail', detail: '1/2 passed, 1 failed, 0 skipped; failing: a: math › adds' });
  });

  it.each([
    ['a task that was not measured', [measured('a', counts(1)), measured('b', null)], counts(1), 'tests ran but not measured in b'],
    ['a test file that could not run', [measured('a', counts(1), { failedSuites: 1 }, 'failure')], counts(1), 'test files that could not run in a'],
    ['a failing task with no failing test', [measured('a', counts(1), {}, 'failure')], counts(1), 'test failed in a'],
    ['no test at all', [measured('a', counts(0))], counts(0), 'ran no test at all'],
    ['a skipped test', [measured('a', counts(1, 0, 1))], counts(1, 0, 1), 'skipped tests fail unless'],
  ])('fails for %s', (_, tasks, total, detail) => {
    expect(judgeMeasuredTests('test', tasks, total, false)).toMatchObject({ status: 'fail', detail: expect.stringContaining(detail) });
  });

  it('allows skipped tests when the gate says so, and is n/a without tasks', () => {
    expect(judgeMeasuredTests('test', [measured('a', counts(1, 0, 1))], counts(1, 0, 1), true).status).toBe('pass');
    expect(judgeMeasuredTests('test', [], null, false).status).toBe('n/a');
  });
});

describe('a replay of other content', () => {
  it('lists recorded files whose digest differs now, or that are gone', () => {
    expect(mismatchedFiles({ 'a.ts': '1', 'b.ts': '2', 'c.ts': '3' }, { 'a.ts': '1', 'b.ts': '9', 'c.ts': null })).toEqual(['b.ts', 'c.ts']);
    expect(mismatchedFiles({}, {})).toEqual([]);
  });
});
