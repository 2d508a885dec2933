/**
 * End-to-end: `npx nx-stages mcp` from the packed plugin in a real Nx workspace (the newest Nx of
 * NX_VERSIONS), driven over stdio by the MCP SDK's own client — the SDK and zod the server runs on
 * are the ones npm installed with the plugin. Two stages: 1 (libs/alpha) is started, gated and
 * proven through the tools (the proof through `nx run stage-1:proof`, which has no tool), and its
 * work drifts into libs/beta, which stage 2 owns; 2 depends on nothing.
 * The `test` gate is a command of the workspace writing a JUnit report and a coverage summary.
 *
 * The tests build on each other, in order. Needs the plugin built (`npm run test:e2e` builds it).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  createWorkspace,
  makeTempRoot,
  NX_VERSIONS,
  nxBinOf,
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

const NEWEST = NX_VERSIONS[0];
let parent: string;
let ws: Workspace;
let client: Client;
let stderr = '';
const worktreeOf = (id: string) => `${ws.root}-stage-${id}`;
const nx = (args: readonly string[]) => runIn(ws, ws.root, process.execPath, [nxBinOf(ws), ...args]);
const gitIn = (cwd: string, args: readonly string[]) => runIn(ws, cwd, 'git', args);
const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const failureOf = (result: CallToolResult) => (result._meta as Record<string, { kind: string; message: string }> | undefined)?.['nx-stages/failure'];
/** What a dry run must leave exactly as it was: the base branch, the branches, the main checkout. */
const baseState = () => ({
  main: ws.git(['rev-parse', 'main']).stdout.trim(),
  branches: ws.git(['branch', '--list', '--format=%(refname:short) %(objectname)']).stdout,
  status: ws.status(),
  merging: existsSync(ws.path('.git/MERGE_HEAD')),
});

function expectSuccess(result: RunResult): void {
  if (result.status !== 0) throw new Error(`expected exit 0, got ${result.status}:\n${result.output}`);
  expect(result.output).not.toMatch(STACK_TRACE);
}

/** The workspace's test command: two passing tests, full coverage, reported as a runner would. */
const RUNNER = `const fs = require('fs');
fs.writeFileSync('junit.xml', '<testsuites><testsuite><testcase name="one"/><testcase name="two"/></testsuite></testsuites>');
fs.mkdirSync('coverage', { recursive: true });
const m = { total: 10, covered: 10 };
fs.writeFileSync('coverage/coverage-summary.json', JSON.stringify({ total: { lines: m, statements: m, functions: m, branches: m } }));
`;

beforeAll(async () => {
  parent = makeTempRoot('nx-stages-e2e-mcp-');
  ws = createWorkspace(parent, NEWEST, packPlugin(parent));
  expectSuccess(nx(['g', 'nx-stages:init']));
  ws.write('run-tests.js', RUNNER);
  ws.write('stages/stages.yaml', `${ws.read('stages/stages.yaml')}\ngates:\n  test: { run: "node run-tests.js" }\nprofiles:\n  default: [templates, test, coverage, proof]\n`);
  expectSuccess(nx(['g', 'nx-stages:stage', '1', '--name=Alpha', '--files=libs/alpha/**']));
  expectSuccess(nx(['g', 'nx-stages:stage', '2', '--name=Beta', '--files=libs/beta/**']));
  ws.commitAll('two stages and a test command');

  const env = Object.fromEntries(Object.entries(workspaceEnv(ws)).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const transport = new StdioClientTransport({ command: join(ws.root, 'node_modules', '.bin', 'nx-stages'), args: ['mcp'], cwd: ws.root, env, stderr: 'pipe' });
  transport.stderr?.on('data', (chunk) => (stderr += chunk));
  client = new Client({ name: 'nx-stages-e2e', version: '1.0.0' });
  await client.connect(transport);
}, SETUP_TIMEOUT * 2);

afterAll(async () => {
  await client?.close();
  if (process.env.KEEP_E2E) console.log(`kept ${parent}`);
  else removeTempRoot(parent);
});

describe(`npx nx-stages mcp on ${NEWEST.label}, through the MCP SDK client`, () => {
  it('lists its tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['status', 'ready', 'forecast', 'create_worktree', 'run_gates', 'verify', 'merge']);
  });

  it('status and ready before anything started: both stages ready', async () => {
    const status = await call('status');
    expect(status.isError).toBeUndefined();
    expect((status.structuredContent as { stages: Array<{ id: string; branchExists: boolean }> }).stages.map(({ id, branchExists }) => ({ id, branchExists }))).toEqual([
      { id: '1', branchExists: false },
      { id: '2', branchExists: false },
    ]);
    expect(await call('ready')).toMatchObject({ structuredContent: { base: 'main', stages: [{ id: '1' }, { id: '2' }], held: [] } });
  });

  it('create_worktree starts stage 1 beside the workspace', async () => {
    const created = await call('create_worktree', { id: '1', dependencies: 'none' });
    expect(created.isError).toBeUndefined();
    expect(created.structuredContent).toMatchObject({ stage: '1', path: worktreeOf('1'), dryRun: false, branch: 'stage-1', port: expect.any(Number) });
    expect(existsSync(join(worktreeOf('1'), '.env.local'))).toBe(true);
  });

  it('with work that drifts into libs/beta, ready holds stage 2 on stage 1 and the forecast names the drift', async () => {
    for (const [path, content] of Object.entries({ 'libs/alpha/index.js': 'exports.one = 1;\n', 'libs/beta/shared.js': 'exports.shared = true;\n' })) {
      mkdirSync(dirname(join(worktreeOf('1'), path)), { recursive: true });
      writeFileSync(join(worktreeOf('1'), path), content);
    }
    expectSuccess(gitIn(worktreeOf('1'), ['add', '-A']));
    expectSuccess(gitIn(worktreeOf('1'), ['commit', '-q', '-m', 'alpha, and a file of beta']));
    expect((await call('ready')).structuredContent).toEqual({ base: 'main', stages: [], held: [{ id: '2', on: ['1'], files: ['libs/beta/shared.js'] }] });
    expect((await call('forecast')).structuredContent).toMatchObject({ success: true, conflicts: [], drift: [{ stage: '1', files: ['libs/beta/shared.js'] }] });
  });

  it('run_gates measures stage 1; after its proof, verify trusts it', async () => {
    const gates = await call('run_gates', { id: '1' });
    expect(gates.isError).toBeUndefined();
    expect(gates.structuredContent).toMatchObject({ stage: '1', clean: true, tests: { total: 2, passed: 2, failed: 0 } });
    expect(stderr).toMatch(/test/);
    expectSuccess(nx(['run', 'stage-1:proof', '--review=Checked by the e2e test.']));
    expect((await call('verify', { id: '1' })).structuredContent).toMatchObject({ stage: '1', valid: true, problems: [] });
  });

  it('merge without confirm is a dry run: what would be merged into what, and the base unchanged', async () => {
    const before = baseState();
    const dryRun = await call('merge', { id: '1' });
    expect(dryRun.isError).toBeUndefined();
    expect(dryRun.structuredContent).toEqual({
      stage: '1',
      dryRun: true,
      branch: 'stage-1',
      base: 'main',
      wouldMerge: true,
      commit: gitIn(worktreeOf('1'), ['rev-parse', 'HEAD']).stdout.trim(),
      checkout: ws.root,
      message: 'Merge Stage 1: Alpha',
    });
    expect(baseState()).toEqual(before);
  });

  it('an unknown stage is an error result of kind not-found, nothing changed', async () => {
    const before = baseState();
    const result = await call('merge', { id: '9', confirm: true });
    expect(result.isError).toBe(true);
    expect(failureOf(result)).toMatchObject({ kind: 'not-found', message: expect.stringContaining('no stage "9" in stages/stages.yaml') });
    expect(baseState()).toEqual(before);
  });

  it('merge with confirm merges the proven commit; status then says merged', async () => {
    const proven = gitIn(worktreeOf('1'), ['rev-parse', 'HEAD']).stdout.trim();
    const merged = await call('merge', { id: '1', confirm: true });
    expect(merged.isError).toBeUndefined();
    expect(merged.structuredContent).toMatchObject({ stage: '1', dryRun: false });
    expect(ws.git(['log', '-1', '--format=%s %P', 'main']).stdout.trim()).toMatch(new RegExp(`^Merge Stage 1: Alpha \\w+ ${proven}$`));
    const rows = (await call('status')).structuredContent as { stages: Array<{ id: string; merged: boolean }> };
    expect(rows.stages.map(({ id, merged: isMerged }) => ({ id, merged: isMerged }))).toEqual([
      { id: '1', merged: true },
      { id: '2', merged: false },
    ]);
  });
});
