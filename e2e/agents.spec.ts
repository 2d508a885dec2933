/**
 * End-to-end: coding agents kept in their stage, in a real Nx 24 workspace with the packed plugin.
 * Two stages (1 owns libs/alpha/**, 2 owns libs/beta/**) get their worktrees from the bin, then
 * `nx g nx-stages:agents` installs the guard hook and the briefs. The hook command it wrote into
 * `.claude/settings.local.json` is then run as Claude Code runs it (through a shell, the
 * PreToolUse JSON on stdin, in the worktree) for each decision.
 *
 * Needs the plugin built (`npm run test:e2e` builds it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createWorkspace,
  makeTempRoot,
  NX_VERSIONS,
  packPlugin,
  removeTempRoot,
  runIn,
  SETUP_TIMEOUT,
  STACK_TRACE,
  workspaceEnv,
  type RunResult,
  type Workspace,
} from './support/workspace';

jest.setTimeout(120_000);

const NX24 = NX_VERSIONS.find((version) => version.label === 'Nx 24')!;

let parent: string;
let ws: Workspace;
const worktreeOf = (id: string) => `${ws.root}-stage-${id}`;
const settingsFile = (id: string) => join(worktreeOf(id), '.claude', 'settings.local.json');
const uncommitted = (cwd: string) => runIn(ws, cwd, 'git', ['status', '--porcelain', '--untracked-files=all']).stdout.trim();

function expectSuccess(result: RunResult): void {
  if (result.status !== 0) throw new Error(`expected exit 0, got ${result.status}:\n${result.output}`);
}

interface HookEntry {
  matcher: string;
  hooks: Array<{ type: string; command: string; timeout: number }>;
}

/** The guard's command, as nx g nx-stages:agents wrote it for stage `id`. */
function hookCommand(id: string): string {
  const settings = JSON.parse(readFileSync(settingsFile(id), 'utf8')) as { hooks: { PreToolUse: HookEntry[] } };
  const [entry] = settings.hooks.PreToolUse;
  expect(entry.matcher).toBe('Write|Edit|MultiEdit|NotebookEdit');
  return entry.hooks[0].command;
}

/** Runs the installed hook as Claude Code does: `sh -c <command>` in the worktree, the payload on stdin. */
function runHook(id: string, tool: string, input: Record<string, unknown>): { status: number | null; stdout: string; stderr: string } {
  const cwd = worktreeOf(id);
  const payload = {
    session_id: 'e2e',
    transcript_path: join(parent, 'transcript.jsonl'),
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
    tool_use_id: 'toolu_e2e',
  };
  const result = spawnSync('sh', ['-c', hookCommand(id)], {
    cwd,
    env: workspaceEnv(ws, { CLAUDE_PROJECT_DIR: cwd }),
    input: JSON.stringify(payload),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function decision(result: { status: number | null; stdout: string; stderr: string }): { permission: string; reason: string } {
  if (result.status !== 0) throw new Error(`hook exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  const output = JSON.parse(result.stdout) as { hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string } };
  expect(output.hookSpecificOutput.hookEventName).toBe('PreToolUse');
  return { permission: output.hookSpecificOutput.permissionDecision, reason: output.hookSpecificOutput.permissionDecisionReason };
}

beforeAll(() => {
  parent = makeTempRoot('nx-stages-e2e-agents-');
  ws = createWorkspace(parent, NX24, packPlugin(parent));
  ws.write('libs/alpha/index.js', "exports.value = 'alpha';\n");
  ws.write('libs/beta/index.js', "exports.value = 'beta';\n");
  expectSuccess(ws.runNx(['g', 'nx-stages:init']));
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '1', '--name=Alpha feature', '--files=libs/alpha/**', '--value=Users get alpha.']));
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '2', '--name=Beta feature', '--files=libs/beta/**', '--value=Users get beta.']));
  ws.commitAll('two libraries and stages 1 and 2');
  expectSuccess(ws.runBin(['worktree', '1']));
  expectSuccess(ws.runBin(['worktree', '2']));
}, SETUP_TIMEOUT);

afterAll(() => removeTempRoot(parent));

describe('nx g nx-stages:agents, then the guard hook it installed', () => {
  it('installs the hook and the brief in both worktrees, ignored by git, pointing at the installed plugin', () => {
    const result = ws.runNx(['g', 'nx-stages:agents']);
    expectSuccess(result);
    expect(result.output).toMatch(/2 stage worktrees: agents started there get the guard hook/);
    expect(hookCommand('1')).toBe(`node ${join(ws.root, 'node_modules', 'nx-stages', 'dist', 'bin', 'nx-stages.js')} guard`);
    expect(readFileSync(join(worktreeOf('2'), 'CLAUDE.local.md'), 'utf8')).toMatch(/^# Stage 2: Beta feature$[\s\S]*^- `libs\/beta\/\*\*`$/m);
    for (const cwd of [worktreeOf('1'), worktreeOf('2')]) expect(uncommitted(cwd)).toBe('');
    expect(ws.status()).toBe('');
  });

  it('denies a write into the other stage’s files, naming the stage', () => {
    const denied = decision(runHook('1', 'Write', { file_path: join(worktreeOf('1'), 'libs/beta/index.js'), content: 'x' }));
    expect(denied.permission).toBe('deny');
    expect(denied.reason).toMatch(/^libs\/beta\/index\.js belongs to stage 2 \(Beta feature\), not merged yet/);
  });

  it('denies a write outside the worktree, into the main checkout', () => {
    const denied = decision(runHook('1', 'Edit', { file_path: '../' + ws.root.split('/').pop() + '/libs/alpha/index.js', old_string: 'alpha', new_string: 'a' }));
    expect(denied.permission).toBe('deny');
    expect(denied.reason).toContain('is outside the worktree of stage 1 (Alpha feature)');
  });

  it('asks for a file no stage owns, and allows the stage’s own', () => {
    expect(decision(runHook('1', 'Write', { file_path: join(worktreeOf('1'), 'README.md'), content: 'x' })).permission).toBe('ask');
    expect(decision(runHook('2', 'MultiEdit', { file_path: join(worktreeOf('2'), 'libs/beta/index.js'), edits: [] })).permission).toBe('allow');
  });

  it('says what is wrong with a payload that is not JSON on stderr, exit 1 (non-blocking), no stack trace', () => {
    const result = spawnSync('sh', ['-c', hookCommand('1')], { cwd: worktreeOf('1'), env: workspaceEnv(ws), input: 'not json', encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^the hook payload on stdin is not JSON/);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it('changes nothing when run again', () => {
    const files = () => ['1', '2'].flatMap((id) => [readFileSync(settingsFile(id), 'utf8'), readFileSync(join(worktreeOf(id), 'CLAUDE.local.md'), 'utf8')]);
    const exclude = () => readFileSync(ws.path('.git/info/exclude'), 'utf8');
    const before = { files: files(), exclude: exclude() };
    expectSuccess(ws.runNx(['g', 'nx-stages:agents']));
    expect({ files: files(), exclude: exclude() }).toEqual(before);
  });
});
