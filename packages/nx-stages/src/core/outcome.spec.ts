import { done, failed, failureText, refuse, renderOutcome } from './outcome';

describe('failureText', () => {
  it('ends the message once, then gives the hint', () => {
    expect(failureText({ message: 'The base branch "dev" (from --base) does not exist', hint: 'Name an existing branch, or leave it out to detect the base from git.' })).toBe(
      'The base branch "dev" (from --base) does not exist. Name an existing branch, or leave it out to detect the base from git.',
    );
    expect(failureText({ message: 'stage 1 has no branch yet.' })).toBe('stage 1 has no branch yet.');
    expect(failureText({ message: 'why?', hint: 'Ask.' })).toBe('why? Ask.');
  });
});

describe('renderOutcome', () => {
  it('puts the document on stdout and exits 0', () => {
    expect(renderOutcome(done('a table', { rows: 1 }))).toEqual({ stdout: 'a table', stderr: '', exitCode: 0 });
  });

  it('says a failure on stderr when no document says it', () => {
    expect(renderOutcome(refuse('not-found', 'no stage "9"', 'List them.'))).toEqual({ stdout: '', stderr: 'no stage "9". List them.', exitCode: 1 });
  });

  it('leaves a failing report to say what failed', () => {
    const outcome = failed({ kind: 'failed', message: '2 errors' }, { text: 'the checklist' });
    expect(renderOutcome(outcome)).toEqual({ stdout: 'the checklist', stderr: '', exitCode: 1 });
  });

  it('with json prints one document alone on stdout: the data, else the failure', () => {
    expect(renderOutcome(done('a table', { rows: 1 }), { json: true })).toEqual({ stdout: JSON.stringify({ rows: 1 }, null, 2), stderr: '', exitCode: 0 });
    const refused = renderOutcome(refuse('refused', 'stage 1 has no proof', 'Run proof.'), { json: true });
    expect(JSON.parse(refused.stdout)).toEqual({ ok: false, kind: 'refused', message: 'stage 1 has no proof', hint: 'Run proof.' });
    expect(refused).toMatchObject({ stderr: 'stage 1 has no proof. Run proof.', exitCode: 1 });
    const measured = renderOutcome(failed({ kind: 'failed', message: 'lint failed' }, { text: 'summary', data: { gates: [] } }), { json: true });
    expect(measured).toEqual({ stdout: JSON.stringify({ gates: [] }, null, 2), stderr: 'lint failed.', exitCode: 1 });
  });

  it('sends notes to stderr whatever the outcome', () => {
    expect(renderOutcome(done('path', undefined, ['! a warning']))).toEqual({ stdout: 'path', stderr: '! a warning', exitCode: 0 });
    expect(renderOutcome(done('', { a: 1 }, ['summary']), { json: true }).stderr).toBe('summary');
  });

  it('exits as a shell reports a signal (128 + its number) when one stopped the operation, 1 for any other failure', () => {
    const stoppedBy = (interrupted?: string) => failed({ kind: 'interrupted', message: 'interrupted', ...(interrupted ? { interrupted } : {}) });
    expect(renderOutcome(stoppedBy('SIGINT')).exitCode).toBe(130);
    expect(renderOutcome(stoppedBy('SIGTERM'), { json: true }).exitCode).toBe(143);
    expect(renderOutcome(stoppedBy('SIGHUP')).exitCode).toBe(129);
    expect(renderOutcome(stoppedBy()).exitCode).toBe(1);
    expect(renderOutcome(stoppedBy('constructor')).exitCode).toBe(1);
    expect(renderOutcome(failed({ kind: 'failed', message: 'lint failed', interrupted: 'SIGINT' })).exitCode).toBe(1);
  });
});
