import { exitText, prefixLine, renderExecSummary, type ExecRun } from './exec-summary';

const run = (id: string, fields: Partial<ExecRun>): ExecRun => ({ id, path: `/work/app-stage-${id}`, exitCode: 0, signal: null, durationMs: 1200, status: 'passed', ...fields });
const shown = (path: string) => path.replace('/work/', '../');

describe('exec summary', () => {
  it('prefixes each line with the stage id, padded so the stages line up', () => {
    expect([prefixLine('9.1', 4, 'ok'), prefixLine('9.10', 4, ''), prefixLine('2', 4, '  indented')]).toEqual(['9.1  | ok', '9.10 | ', '2    |   indented']);
  });

  it('says the exit code, the signal, or why the command did not run', () => {
    expect(exitText({ exitCode: 0, signal: null, status: 'passed' })).toBe('0');
    expect(exitText({ exitCode: 3, signal: null, status: 'failed' })).toBe('3');
    expect(exitText({ exitCode: null, signal: 'SIGKILL', status: 'failed' })).toBe('SIGKILL');
    expect(exitText({ exitCode: 127, signal: null, status: 'not-found' })).toBe('127 not found');
    expect(exitText({ exitCode: null, signal: 'SIGINT', status: 'interrupted' })).toBe('SIGINT interrupted');
    expect(exitText({ exitCode: 130, signal: null, status: 'interrupted' })).toBe('130 interrupted');
    expect(exitText({ exitCode: null, signal: null, status: 'not-run' })).toBe('not run');
  });

  it('renders every run passing', () => {
    expect(renderExecSummary([run('1', { durationMs: 80 }), run('2', {})], { shown })).toMatchInlineSnapshot(`
      "stage  worktree        exit  duration
      ─────  ──────────────  ────  ────────
      1      ../app-stage-1  0     80 ms
      2      ../app-stage-2  0     1.2 s

      the command passed in all 2 worktrees"
    `);
  });

  it('renders failures, a command not found and the stages skipped', () => {
    const runs = [run('9.1', {}), run('9.2', { exitCode: 1, status: 'failed' }), run('9.10', { exitCode: 127, status: 'not-found', durationMs: 3 })];
    expect(renderExecSummary(runs, { shown, skipped: ['9.3', '9.4'] })).toMatchInlineSnapshot(`
      "stage  worktree           exit           duration
      ─────  ─────────────────  ─────────────  ────────
      9.1    ../app-stage-9.1   0              1.2 s
      9.2    ../app-stage-9.2   1              1.2 s
      9.10   ../app-stage-9.10  127 not found  3 ms

      the command failed in 2 of 3 worktrees: stage 9.2 (exit 1), stage 9.10 (127 not found); skipped (no worktree): 9.3, 9.4"
    `);
  });

  it('renders an interrupted run: what was stopped and what never started', () => {
    const runs = [run('1', { exitCode: null, signal: 'SIGINT', status: 'interrupted' }), run('2', { exitCode: null, status: 'not-run', durationMs: 0 })];
    expect(renderExecSummary(runs, { shown, interrupted: 'SIGINT' })).toMatchInlineSnapshot(`
      "stage  worktree        exit                duration
      ─────  ──────────────  ──────────────────  ────────
      1      ../app-stage-1  SIGINT interrupted  1.2 s
      2      ../app-stage-2  not run             -

      interrupted by SIGINT: stopped 1, not run 2"
    `);
    expect(renderExecSummary([run('1', {})], { shown })).toMatch(/passed in the one worktree$/);
  });
});
