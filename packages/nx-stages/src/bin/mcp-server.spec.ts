import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { commitPlan } from '../commands/test-support/plan-on-disk';
import { REGISTER } from '../commands/test-support/interrupt-child';
import { createStageRepo, proveStage, startStage } from '../commands/test-support/stage-fixture';
import { loadPlan } from '../core/load-plan';
import { cleanup, commitFile, git, isolateGitEnvironment, makeTempDir, restoreGitEnvironment } from '../git/test-support/temp-repo';
import { fsPlanSource } from '../io/fs-plan-source';
import { FAILURE_META } from './mcp-result';

jest.setTimeout(60_000);

/** The bin's own entry, from the TypeScript sources (compiled on load, as Jest does): `nx-stages mcp`. */
function binScript(): string {
  const script = join(makeTempDir(), 'nx-stages.js');
  writeFileSync(script, `${REGISTER}\nrequire(${JSON.stringify(join(__dirname, 'nx-stages.ts'))});\n`);
  return script;
}

const SETTINGS = `gates:
  test: { run: "node run-tests.js" }
profiles:
  default: [templates, test, coverage, proof]
`;

/**
 * One repository and one server for the whole file, as an agent has them: the tests run in order
 * and the last ones change the plan (a server start and a proof cost seconds each).
 */
describe('npx nx-stages mcp, driven by the MCP SDK client over stdio', () => {
  let root: string;
  let client: Client;
  let stderr: string;
  /** The worktree of stage 4, started without a proof. */
  let stageFour: string;

  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  const failureOf = (result: CallToolResult) => (result._meta as Record<string, { kind: string; message: string }> | undefined)?.[FAILURE_META];

  /**
   * Stage 1 is in progress with a valid proof and a commit that drifts into stage 2's files;
   * stage 2 depends on nothing, stage 3 waits for 1.
   */
  beforeAll(async () => {
    isolateGitEnvironment();
    root = createStageRepo();
    commitPlan(root, SETTINGS, {
      '1': 'files: ["libs/one/**"]\n',
      '2': 'files: ["libs/two/**"]\n',
      '3': 'dependsOn: ["1"]\nfiles: ["libs/three/**"]\n',
    });
    const plan = loadPlan(fsPlanSource(root), 'stages');
    await startStage(root, plan, '1', {}, { 'libs/one/a.ts': 'one\n', 'libs/two/shared.ts': 'taken by 1\n' });
    await proveStage(root, plan, plan.stages[0]);

    const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const transport = new StdioClientTransport({ command: process.execPath, args: [binScript(), 'mcp'], cwd: join(root, 'stages'), env, stderr: 'pipe' });
    stderr = '';
    transport.stderr?.on('data', (chunk) => (stderr += chunk));
    client = new Client({ name: 'nx-stages-test', version: '1.0.0' });
    await client.connect(transport);
    // As a real client does: the listing is what the client checks each structuredContent against.
    await client.listTools();
  });

  afterAll(async () => {
    await client.close();
    restoreGitEnvironment();
    cleanup();
  });

  it('lists its tools, each with an input and an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['status', 'ready', 'forecast', 'create_worktree', 'run_gates', 'verify', 'merge']);
    // Loose at the top: a verb's data may carry more than the schema names.
    for (const tool of tools) expect(tool.outputSchema).toMatchObject({ type: 'object', additionalProperties: {} });
    expect(tools.find((tool) => tool.name === 'merge')?.inputSchema).toMatchObject({ properties: { id: { type: 'string' }, confirm: { type: 'boolean' } }, required: ['id'] });
    expect(stderr).toContain('nx-stages MCP server on stdio');
  });

  it('status: one row per stage, found from the workspace root above the cwd', async () => {
    const result = await call('status');
    expect(result.isError).toBeUndefined();
    const { base, stages } = result.structuredContent as { base: string; stages: Array<{ id: string; branchExists: boolean; merged: boolean; proof: string | null }> };
    expect(base).toBe('main');
    expect(stages.map(({ id, branchExists, merged, proof }) => ({ id, branchExists, merged, proof }))).toEqual([
      { id: '1', branchExists: true, merged: false, proof: 'valid' },
      { id: '2', branchExists: false, merged: false, proof: null },
      { id: '3', branchExists: false, merged: false, proof: null },
    ]);
  });

  it('ready: stage 2 has its dependencies merged but waits on stage 1, which edits its files; 3 waits for 1 to merge', async () => {
    const result = await call('ready');
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({ base: 'main', stages: [], held: [{ id: '2', on: ['1'], files: ['libs/two/shared.ts'] }] });
    expect(result.content).toEqual([{ type: 'text', text: 'no stage is free to start\nstage 2 waits: stage 1 in progress touches libs/two/shared.ts' }]);
  });

  it('merge without confirm is a dry run: it checks the proof, says what would merge into what, and changes nothing', async () => {
    const before = { main: git(root, ['rev-parse', 'main']), branches: git(root, ['branch', '--list']), status: git(root, ['status', '--porcelain']) };
    const result = await call('merge', { id: '1' });
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({
      stage: '1',
      dryRun: true,
      branch: 'stage-1',
      base: 'main',
      wouldMerge: true,
      commit: git(root, ['rev-parse', 'stage-1']).trim(),
      checkout: root,
      message: 'Merge Stage 1: Stage 1',
    });
    expect({ main: git(root, ['rev-parse', 'main']), branches: git(root, ['branch', '--list']), status: git(root, ['status', '--porcelain']) }).toEqual(before);
  });

  it('a stage without a proof is refused by the dry run as merge would refuse it', async () => {
    commitFile(root, 'stages/4/stage.yaml', 'id: "4"\nname: Stage 4\nduration: 1w\nvalue: Users get 4.\nfiles: ["libs/four/**"]\n', 'stage 4');
    stageFour = await startStage(root, loadPlan(fsPlanSource(root), 'stages'), '4');
    const result = await call('merge', { id: '4' });
    expect(result.isError).toBe(true);
    expect(failureOf(result)).toMatchObject({ kind: 'refused', message: expect.stringContaining('its proof is not valid for stage-4') });
  });

  it('an unknown stage is an error result of kind not-found, and the server goes on answering', async () => {
    const result = await call('verify', { id: '9' });
    expect(result.isError).toBe(true);
    expect(failureOf(result)).toEqual({ kind: 'not-found', message: 'no stage "9" in stages/stages.yaml (did you mean 1?)', hint: '`npx nx-stages list` lists them.' });
    expect((await call('verify', { id: '1' })).structuredContent).toMatchObject({ stage: '1', valid: true, problems: [] });
  });

  it('reads the plan on every call: an added stage is seen, a broken plan is an error result, not a crash', async () => {
    commitFile(root, 'stages/5/stage.yaml', 'id: "5"\nname: Stage 5\nduration: 1w\nvalue: Users get 5.\nfiles: ["libs/five/**"]\n', 'stage 5');
    // 4 was started by the test before; 2 is still held by 1.
    expect((await call('ready')).structuredContent).toMatchObject({ stages: [{ id: '5', name: 'Stage 5' }], held: [{ id: '2' }] });
    writeFileSync(join(root, 'stages', 'stages.yaml'), 'branchPattern: "refs/heads/{id}"\n');
    const broken = await call('status');
    expect(broken.isError).toBe(true);
    expect(failureOf(broken)).toMatchObject({ kind: 'invalid-input', message: expect.stringContaining('stages/stages.yaml:1: error: invalid branchPattern') });
    writeFileSync(join(root, 'stages', 'stages.yaml'), SETTINGS);
    expect((await call('status')).isError).toBeUndefined();
  });

  it("run_gates reports each gate's progress as MCP notifications and returns the result", async () => {
    const progress: string[] = [];
    const logged: string[] = [];
    client.setNotificationHandler((await import('@modelcontextprotocol/sdk/types.js')).LoggingMessageNotificationSchema, (notification) => {
      logged.push(String(notification.params.data));
    });
    const result = (await client.callTool({ name: 'run_gates', arguments: { id: '1', force: true } }, undefined, {
      onprogress: (step) => progress.push(step.message ?? ''),
    })) as CallToolResult;
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ stage: '1', tests: { passed: 3, failed: 0 } });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((line) => /test/.test(line))).toBe(true);
    expect(logged).toEqual(progress);
    expect(stderr).toContain(progress[0]);
  });

  it('writes nothing but JSON-RPC messages to stdout, progress included, and exits 0 when stdin closes', async () => {
    const child = spawn(process.execPath, [binScript(), 'mcp'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let childStderr = '';
    child.stderr.on('data', (chunk) => (childStderr += chunk));
    const answered = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (/"id":2[,}]/.test(stdout)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'run_gates', arguments: { id: '1', force: true }, _meta: { progressToken: 7 } } });
    await answered;
    child.stdin.end();
    expect(await exited).toBe(0);
    const messages = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { jsonrpc: string; id?: number; method?: string });
    expect(messages.every((message) => message.jsonrpc === '2.0')).toBe(true);
    expect(messages.filter((message) => message.id !== undefined).map((message) => message.id)).toEqual([1, 2]);
    expect(messages.some((message) => message.method === 'notifications/progress')).toBe(true);
    expect(childStderr).toContain('nx-stages MCP server on stdio');
  });

  it('a forecast that finds a conflict is an error result that still carries the forecast, valid against its schema', async () => {
    commitFile(stageFour, 'libs/one/a.ts', 'four\n', 'stage 4 edits what stage 1 edits');
    const result = await call('forecast');
    expect(result.isError).toBe(true);
    expect(failureOf(result)).toMatchObject({ kind: 'failed', message: expect.stringContaining('1 conflicting merge forecast (1 with 4)') });
    expect(result.structuredContent).toMatchObject({ success: false, conflicts: [{ stages: ['1', '4'], files: ['libs/one/a.ts'] }] });
  });
});
