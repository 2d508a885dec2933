/**
 * End-to-end: two stages' dev servers side by side in a real Nx 24 workspace with the packed
 * plugin. Each app has a project.json `serve` target as a user writes one (`node server.js`,
 * which takes --port and serves a page from its folder); each stage worktree commits its own page.
 * `nx run-many -t serve -p stage-1,stage-2` runs in its own process group; real HTTP to both ports
 * answers with each worktree's own page; SIGINT to the group (Ctrl+C) leaves no process behind.
 * Needs the plugin built (`npm run test:e2e` builds it).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { httpGet } from '../packages/nx-stages/src/commands/test-support/http-get';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  type Workspace,
} from './support/workspace';

jest.setTimeout(240_000);

const NX24 = NX_VERSIONS.find((version) => version.label === 'Nx 24')!;
let parent: string;
let ws: Workspace;
const worktreeOf = (id: string) => `${ws.root}-stage-${id}`;

const SERVER = `const http = require('http');
const fs = require('fs');
const path = require('path');
const flag = process.argv.find((arg) => arg.startsWith('--port='));
const port = Number(flag ? flag.slice('--port='.length) : process.env.PORT || 4200);
http
  .createServer((req, res) => res.end(fs.readFileSync(path.join(__dirname, 'index.html'), 'utf8')))
  .listen(port, () => console.log('listening on http://localhost:' + port));
`;

function writeApp(name: string): void {
  ws.write(
    `apps/${name}/project.json`,
    `${JSON.stringify({ name, root: `apps/${name}`, targets: { serve: { command: 'node server.js', options: { cwd: `apps/${name}` } } } }, null, 2)}\n`,
  );
  ws.write(`apps/${name}/server.js`, SERVER);
  ws.write(`apps/${name}/index.html`, `${name} on main\n`);
}

function expectSuccess(result: { status: number | null; output: string }): void {
  if (result.status !== 0) throw new Error(`expected exit 0, got ${result.status}:\n${result.output}`);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The records the serve targets keep while their servers run. */
function serverRecords(): Array<{ stage: string; pid: number; port: number; url: string }> {
  const folder = ws.path('.git/nx-stages/servers');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX] /.test(stat);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** `pid` and every process below it (children, their children, …), from /proc; zombies left out. */
function treeOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (['Z', 'X'].includes(fields[0])) continue;
      children.set(Number(fields[1]), [...(children.get(Number(fields[1])) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index]) ?? []));
  return tree.filter(alive);
}

const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
};

beforeAll(() => {
  parent = makeTempRoot('nx-stages-e2e-serve-');
  ws = createWorkspace(parent, NX24, packPlugin(parent));
  writeApp('cart');
  writeApp('shop');
  writeApp('admin');
  expectSuccess(ws.runNx(['g', 'nx-stages:init']));
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '1', '--name=Cart', '--files=apps/cart/**']));
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '2', '--name=Shop', '--files=apps/shop/**']));
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '3', '--name=Docs', '--files=docs/**']));
  ws.commitAll('apps and stages');
  for (const id of ['1', '2', '3']) expectSuccess(ws.runNx(['g', 'nx-stages:worktree', id]));
  // Each stage changes its own app's page, committed on its branch.
  for (const [id, app] of [
    ['1', 'cart'],
    ['2', 'shop'],
  ]) {
    writeFileSync(join(worktreeOf(id), `apps/${app}/index.html`), `${app} of stage ${id}\n`);
    expectSuccess(runIn(ws, worktreeOf(id), 'git', ['commit', '-q', '-am', `stage ${id}: page`]));
  }
}, SETUP_TIMEOUT);

afterAll(() => removeTempRoot(parent));

describe('nx run-many -t serve on Nx 24', () => {
  it("runs two stages' servers at once, each answering with its own worktree's page, and Ctrl+C leaves no process", async () => {
    // Ports nobody holds on this shared machine, written where a user sets a stage's port.
    const ports: Record<string, number> = { '1': await freePort(), '2': await freePort() };
    for (const id of ['1', '2']) {
      const file = join(worktreeOf(id), '.env.local');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^PORT=.*$/m, `PORT=${ports[id]}`));
    }
    const capture = mkdtempSync(join(tmpdir(), 'nx-stages-e2e-io-'));
    const out = openSync(join(capture, 'output'), 'w');
    const nx = spawn(process.execPath, [nxBinOf(ws), 'run-many', '-t', 'serve', '-p', 'stage-1,stage-2', '--outputStyle=stream'], {
      cwd: ws.root,
      env: workspaceEnv(ws),
      detached: true,
      stdio: ['ignore', out, out],
    });
    let running: number[] = [];
    const exited = new Promise<number | null>((resolve) => nx.once('close', (code) => resolve(code)));
    const output = () => readFileSync(join(capture, 'output'), 'utf8');
    try {
      const pages: Record<string, string> = {};
      for (const id of ['1', '2']) {
        for (;;) {
          if (nx.exitCode !== null) throw new Error(`nx run-many ended before stage ${id}'s server answered:\n${output()}`);
          try {
            pages[id] = await httpGet(`http://localhost:${ports[id]}/`);
            break;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        }
      }
      expect(pages).toEqual({ '1': 'cart of stage 1\n', '2': 'shop of stage 2\n' });
      const records = serverRecords().sort((a, b) => a.stage.localeCompare(b.stage));
      expect(records.map(({ stage, port, url }) => ({ stage, port, url }))).toEqual([
        { stage: '1', port: ports['1'], url: `http://localhost:${ports['1']}/` },
        { stage: '2', port: ports['2'], url: `http://localhost:${ports['2']}/` },
      ]);
      // Everything that runs: outer Nx and its tasks, and below each serve target the Nx it started
      // in the worktree, with the server itself (which Nx starts in a session of its own).
      const started = treeOf(nx.pid!);
      expect(records.map((record) => started.includes(record.pid))).toEqual([true, true]);
      expect(records.map((record) => treeOf(record.pid).some((pid) => commandOf(pid).includes(`server.js --port=${record.port}`)))).toEqual([true, true]);
      running = started;

      process.kill(-nx.pid!, 'SIGINT');
      await exited;
      expect(output()).not.toMatch(STACK_TRACE);
      expect(started.filter(alive)).toEqual([]);
      expect(serverRecords()).toEqual([]);
      for (const id of ['1', '2']) await expect(httpGet(`http://localhost:${ports[id]}/`)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      // A failed test leaves nothing running either: what it saw start, by pid.
      for (const pid of running.filter(alive)) process.kill(pid, 'SIGKILL');
      if (nx.exitCode === null) process.kill(-nx.pid!, 'SIGKILL');
      closeSync(out);
      rmSync(capture, { recursive: true, force: true });
    }
  });

  it('refuses a stage without a serve target, and a port a foreign process holds (which it leaves running)', async () => {
    const none = ws.runNx(['run', 'stage-3:serve']);
    expect(none.status).not.toBe(0);
    expect(none.output).toContain('stage 3 has no app with a serve target: no project in its files (docs/**) has one');
    expect(none.output).not.toMatch(STACK_TRACE);

    const foreign = createServer((socket) => socket.end('foreign\n'));
    await new Promise<void>((resolve) => foreign.listen(0, resolve));
    const port = (foreign.address() as { port: number }).port;
    try {
      const taken = ws.runNx(['run', 'stage-1:serve', `--port=${port}`]);
      expect(taken.status).not.toBe(0);
      expect(taken.output).toContain(`port ${port} of stage 1 is taken: another process listens on it. nx-stages stops only what it started.`);
      expect(taken.output).not.toMatch(STACK_TRACE);
      expect(foreign.listening).toBe(true);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
    const unknown = ws.runNx(['run', 'stage-9:serve']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.output).toMatch(/stage-9/);
  });
});
