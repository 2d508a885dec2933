import { join } from 'node:path';
import { hookPayload as payload, stageRepo, writing } from '../commands/test-support/guard-fixture';
import { git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { runCli } from './cli';

useTempRepos();

describe('nx-stages guard (the bin)', () => {
  async function bin(stdin: string | undefined, argv: string[] = ['guard']) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, makeTempDir(), { log: (line) => out.push(line), error: (line) => err.push(line) }, async () => stdin);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }
  const decision = (stdout: string) => (JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision;

  it('answers each decision on stdout with exit 0, from any folder (the payload says where)', async () => {
    const { root, one } = stageRepo();
    const allow = await bin(writing(one, join(one, 'libs/alpha/x.ts')));
    expect({ code: allow.code, decision: decision(allow.stdout), stderr: allow.stderr }).toEqual({ code: 0, decision: 'allow', stderr: '' });
    expect(decision((await bin(writing(one, join(one, 'libs/beta/x.ts')))).stdout)).toBe('deny');
    expect(decision((await bin(payload(one, 'Edit', { file_path: join(one, 'README.md'), old_string: 'a', new_string: 'b' }))).stdout)).toBe('ask');
    expect(decision((await bin(payload(one, 'MultiEdit', { file_path: join(root, 'README.md'), edits: [] }))).stdout)).toBe('deny');
    expect(decision((await bin(payload(one, 'NotebookEdit', { notebook_path: join(one, 'libs/alpha/n.ipynb'), new_source: 'x' }))).stdout)).toBe('allow');
    expect(await bin(payload(one, 'Read', { file_path: join(root, 'x') }))).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('says on stderr, exit 1 (a non-blocking error for Claude Code), what is wrong with its input', async () => {
    const { root } = stageRepo();
    const stray = join(root, '..', 'app-stage-9');
    git(root, ['worktree', 'add', '--quiet', '-b', 'stage-9', stray]);
    const results = {
      notJson: await bin('{"cwd": "/x", '),
      unknownStage: await bin(writing(stray, join(stray, 'x.ts'))),
      terminal: await bin(undefined),
      unknownFlag: await bin('{}', ['guard', '--json']),
    };
    for (const result of Object.values(results)) expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
    // The words in parentheses are JSON.parse's own (they differ between Node versions).
    expect(results.notJson.stderr.replace(/not JSON \(.*\)\. The guard/, 'not JSON (…). The guard')).toMatchInlineSnapshot(
      `"the hook payload on stdin is not JSON (…). The guard is a Claude Code PreToolUse hook: it reads the JSON Claude Code sends on stdin (session_id, cwd, hook_event_name, tool_name, tool_input)."`,
    );
    expect(results.unknownStage.stderr).toMatch(/has no stage "9"\. `npx nx-stages list` lists the stages/);
    expect(results.terminal.stderr).toMatch(/^nx-stages guard: reads a Claude Code PreToolUse payload on stdin, and stdin is a terminal/);
    expect(results.unknownFlag.stderr).toMatch(/^nx-stages guard: unknown option --json/);
  });
});
