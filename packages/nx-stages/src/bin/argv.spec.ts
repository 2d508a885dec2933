import { parseCommandLine, verbUsage } from './argv';

describe('parseCommandLine', () => {
  it.each([
    [['clean', '--dry-run', '--delete-branch'], { dryRun: true, deleteBranch: true }],
    [['clean', '--dryRun', '--deleteBranch', '--force'], { dryRun: true, deleteBranch: true, force: true }],
    [['status', '--json', '--by=assignee', '--plan', 'plans/web'], { json: true, by: 'assignee', plan: 'plans/web' }],
    [['status', '--resources', '--fetch'], { resources: true, fetch: true }],
    [['plan', '--team-size=3'], { teamSize: '3' }],
    [['plan', '--teamSize', '3'], { teamSize: '3' }],
  ])('reads %j in either spelling, as camelCase', (argv, flags) => {
    expect(parseCommandLine(argv)).toEqual({ kind: 'run', verb: argv[0], flags });
  });

  it('reads the stage id of go and worktree', () => {
    expect(parseCommandLine(['worktree', '9.1', '--stack', '--dependencies=none', '--dry-run'])).toEqual({
      kind: 'run',
      verb: 'worktree',
      id: '9.1',
      flags: { stack: true, dependencies: 'none', dryRun: true },
    });
    expect(parseCommandLine(['go', '--plan=p', '2'])).toEqual({ kind: 'run', verb: 'go', id: '2', flags: { plan: 'p' } });
  });

  it.each([
    [['clean', '--dryrun'], 'nx-stages clean: unknown option --dryrun (did you mean --dryRun?)'],
    [['clean', '--yes'], 'nx-stages clean: unknown option --yes'],
    [['clean', '-n'], 'nx-stages clean: unknown option -n'],
    [['status', '--deleteBranch'], 'nx-stages status: unknown option --deleteBranch'],
    [['clean', '--dry-run', '--dryRun'], 'nx-stages clean: --dry-run and --dryRun are the same flag: give it once'],
    [['validate', 'extra'], "nx-stages validate: Unexpected argument 'extra'"],
    [['validate', '--json=yes'], "nx-stages validate: Option '--json' does not take an argument"],
    [['conflicts', '--base'], "nx-stages conflicts: Option '--base <value>' argument missing"],
    [['go'], 'nx-stages go: which stage? Give its id'],
    [['go', '1', '2'], 'nx-stages go: takes one stage id, not "1", "2"'],
  ])("refuses %j, naming what is wrong and the verb's usage", (argv, message) => {
    const line = parseCommandLine(argv);
    expect(line.kind).toBe('error');
    const text = line.kind === 'error' ? line.message : '';
    expect(text.split('\n')[0]).toBe(message);
    expect(text.split('\n')[1]).toBe(`Usage: ${verbUsage(argv[0] as 'clean')}`);
  });

  it('reads toggles on by default and off as --no-<flag> in either spelling', () => {
    expect(parseCommandLine(['proof', '2', '--no-tag', '--noCommit'])).toEqual({ kind: 'run', verb: 'proof', id: '2', flags: { tag: false, commit: false } });
    expect(parseCommandLine(['gates', '2', '--fast-fail', '--parallel=2'])).toEqual({ kind: 'run', verb: 'gates', id: '2', flags: { fastFail: true, parallel: '2' } });
    expect(parseCommandLine(['proof', '2', '--tag', '--no-tag'])).toMatchObject({ kind: 'error', message: expect.stringContaining('--no-tag and --tag are the same flag') });
    expect(verbUsage('proof')).toBe('nx-stages proof <id> [--base=<branch>] [--in-place] [--review=<text>] [--no-commit] [--no-tag] [--[no-]push] [--plan=<folder>]');
  });

  it('reads a switch as on, off, or not given (stages.yaml decides)', () => {
    expect(parseCommandLine(['merge', '2', '--push'])).toEqual({ kind: 'run', verb: 'merge', id: '2', flags: { push: true } });
    expect(parseCommandLine(['merge', '2', '--no-push'])).toEqual({ kind: 'run', verb: 'merge', id: '2', flags: { push: false } });
    expect(parseCommandLine(['merge', '2'])).toEqual({ kind: 'run', verb: 'merge', id: '2', flags: {} });
    expect(parseCommandLine(['clean', '--noPush'])).toEqual({ kind: 'run', verb: 'clean', flags: { push: false } });
  });

  it('names an unknown command with the nearest one', () => {
    expect(parseCommandLine(['cleen'])).toEqual({ kind: 'error', message: 'nx-stages: unknown command "cleen" (did you mean "clean"?); `nx-stages help` lists them' });
    expect(parseCommandLine(['constructor'])).toMatchObject({ kind: 'error' });
  });

  it('shows help, per verb too', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', exitCode: 1 });
    expect(parseCommandLine(['help'])).toEqual({ kind: 'help', exitCode: 0 });
    expect(parseCommandLine(['clean', '-h'])).toEqual({ kind: 'help', verb: 'clean', exitCode: 0 });
    expect(verbUsage('clean')).toBe('nx-stages clean [--dry-run] [--delete-branch] [--force] [--[no-]push] [--plan=<folder>]');
    expect(verbUsage('worktree')).toBe('nx-stages worktree <id> [--stack] [--base=<branch>] [--dependencies=link|install|none] [--dry-run] [--[no-]push] [--plan=<folder>]');
  });

  describe('exec: everything after -- is the command, untouched', () => {
    it('passes the command and its arguments as given, flags that look like ours included', () => {
      expect(parseCommandLine(['exec', '--stages=1,2', '--parallel', '2', '--json', '--', 'node', '-e', 'x()', '--json', '--stages=9', '--', '-h'])).toEqual({
        kind: 'run',
        verb: 'exec',
        flags: { stages: '1,2', parallel: '2', json: true },
        command: ['node', '-e', 'x()', '--json', '--stages=9', '--', '-h'],
      });
      expect(parseCommandLine(['exec', '--', '--help'])).toEqual({ kind: 'run', verb: 'exec', flags: {}, command: ['--help'] });
      expect(parseCommandLine(['exec', '--', 'sh', '-c', 'echo "$PORT" && exit 3'])).toMatchObject({ command: ['sh', '-c', 'echo "$PORT" && exit 3'] });
      expect(verbUsage('exec')).toBe('nx-stages exec [--stages=<id,id>] [--group=<letter>] [--parallel=N] [--json] [--plan=<folder>] -- <command> [args…]');
    });

    it.each([
      [['exec'], 'nx-stages exec: which command? Give it after --, as in `nx-stages exec -- npm test`'],
      [['exec', '--json', '--'], 'nx-stages exec: which command? Give it after --, as in `nx-stages exec -- npm test`'],
      [['exec', 'npm', 'test'], 'nx-stages exec: which command? Give it after --, as in `nx-stages exec -- npm test`'],
      [['exec', '--dry-run', '--', 'npm', 'test'], 'nx-stages exec: unknown option --dry-run'],
      [['exec', '--stages', '--', 'npm'], "nx-stages exec: Option '--stages <value>' argument missing"],
    ])('refuses %j with the usage', (argv, message) => {
      const line = parseCommandLine(argv);
      expect(line).toEqual({ kind: 'error', message: `${message}\nUsage: ${verbUsage('exec')}` });
    });

    it('reads -- as the end of flags for the other verbs, as before', () => {
      expect(parseCommandLine(['go', '--', '9.1'])).toEqual({ kind: 'run', verb: 'go', id: '9.1', flags: {} });
    });
  });
});
