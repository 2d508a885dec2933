import { connect, createServer, type Server } from 'node:net';
import { readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../core/model';
import type { ServerRecord } from '../core/serve-report';
import { commitFile, createRepo, git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { loadCommandPlan } from '../io/command-plan';
import { isAlive, runningServers, writeServerRecord } from '../io/servers';
import { probePort } from '../io/port-probe';
import { worktreeResources } from '../io/resources';
import { newWorktree } from './test-support/new-worktree';
import { serveCommand } from './serve';
import { commitPlan } from './test-support/plan-on-disk';
import { httpGet } from './test-support/http-get';

jest.setTimeout(120_000);
useTempRepos();

// This repository's own node_modules (Nx 24): the stage worktree links it, as `link` would.
const NODE_MODULES = join(__dirname, '..', '..', '..', '..', 'node_modules');

// A dev server as a user writes one: the port from --port (Nx forwards it) or PORT, a page from its folder.
const SERVER = `const http = require('http');
const fs = require('fs');
const path = require('path');
const flag = process.argv.find((arg) => arg.startsWith('--port='));
const port = Number(flag ? flag.slice('--port='.length) : process.env.PORT);
http.createServer((req, res) => res.end(fs.readFileSync(path.join(__dirname, 'index.html'), 'utf8'))).listen(port, () => console.log('cart listening on ' + port));
`;

const CART_PROJECT = JSON.stringify({ name: 'cart', root: 'apps/cart', targets: { serve: { command: 'node server.js', options: { cwd: 'apps/cart' } } } });

let root: string;
let plan: Plan;

beforeEach(() => {
  root = join(makeTempDir(), 'app');
  renameSync(createRepo(), root);
  commitFile(root, '.gitignore', 'node_modules\n.nx\n.env.local\n', 'ignore');
  commitFile(root, 'package.json', '{ "name": "app", "private": true }\n', 'package');
  commitFile(root, 'apps/cart/project.json', CART_PROJECT, 'cart');
  commitFile(root, 'apps/cart/server.js', SERVER, 'cart server');
  commitFile(root, 'apps/cart/index.html', 'cart on main\n', 'cart page');
  commitFile(root, 'libs/ui/project.json', JSON.stringify({ name: 'ui', root: 'libs/ui', targets: {} }), 'ui');
  commitPlan(root, 'ports: { base: 4300, step: 1 }\n', { '1': 'files: ["apps/cart/**"]\n', '2': 'files: ["libs/ui/**"]\n', '3': 'files: ["apps/shop/**"]\n' });
  plan = loadCommandPlan(root, 'stages');
});

/** The stage's worktree with its own version of the page committed, and node_modules linked. */
async function stageWorktree(id: string, page?: string): Promise<string> {
  const worktree = (await newWorktree(root, plan, id, { dependencies: 'none' })).path;
  symlinkSync(NODE_MODULES, join(worktree, 'node_modules'));
  if (page) commitFile(worktree, 'apps/cart/index.html', page, `stage ${id}'s cart`);
  return worktree;
}

/** The first answer of a server that is still starting: retried until it listens. */
async function firstAnswer(url: string): Promise<string> {
  for (;;) {
    try {
      return await httpGet(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** What the listener on `port` says to a new connection. */
function said(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    connect(port, '127.0.0.1')
      .on('data', (chunk) => (text += chunk))
      .on('end', () => resolve(text))
      .on('error', reject);
  });
}

function setPort(worktree: string, port: number): void {
  const file = join(worktree, '.env.local');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^PORT=.*$/m, `PORT=${port}`));
}

const portOf = (worktree: string) => Number(/^PORT=(\d+)$/m.exec(readFileSync(join(worktree, '.env.local'), 'utf8'))![1]);

describe('serveCommand (nx run stage-<id>:serve)', () => {
  it("serves the worktree's own code on the stage's port until stopped, recorded while it runs", async () => {
    const worktree = await stageWorktree('1', 'cart of stage 1\n');
    // A port nobody holds on this shared machine, in place of the one the plan allotted.
    setPort(worktree, await freePort());
    const commonDir = join(root, '.git');
    const controller = new AbortController();
    let started: (server: ServerRecord) => void = () => undefined;
    const onStart = new Promise<ServerRecord>((resolve) => (started = resolve));
    const serving = serveCommand(
      root,
      plan,
      '1',
      {},
      { signal: controller.signal, onStart: (server, how) => started({ ...server, target: `${server.target} ${how.args.join(' ')}` }) },
    );

    const server = await onStart;
    expect(server).toMatchObject({ stage: '1', project: 'cart', target: `serve run cart:serve --port=${portOf(worktree)}`, port: portOf(worktree), worktree });
    expect(await firstAnswer(server.url)).toBe('cart of stage 1\n');
    expect(runningServers(commonDir).map((running) => [running.stage, running.pid])).toEqual([['1', server.pid]]);
    // Nx starts the command in a session of its own: the server is found by the folder it runs in.
    // (Where there is no /proc, processes are not known by folder: null.)
    const [row] = await worktreeResources([{ stage: '1', path: worktree }]);
    if (row.processes) expect(row.processes.some((process) => process.command.includes(`server.js --port=${server.port}`))).toBe(true);

    controller.abort();
    const outcome = await serving;
    expect(outcome).toMatchObject({ ok: true, data: { stage: '1', project: 'cart', target: 'serve', port: server.port, pid: server.pid, ended: 'stopped' } });
    expect(isAlive(server.pid)).toBe(false);
    expect(await probePort(server.port)).toBe('free');
    expect(runningServers(commonDir)).toEqual([]);
    if (row.processes) expect((await worktreeResources([{ stage: '1', path: worktree }]))[0].processes).toEqual([]);
  });

  it('refuses a port another process holds, and leaves that process alone', async () => {
    const worktree = await stageWorktree('1');
    const foreign: Server = createServer((socket) => socket.end('foreign\n'));
    await new Promise<void>((resolve) => foreign.listen(0, resolve));
    const port = (foreign.address() as { port: number }).port;
    setPort(worktree, port);
    try {
      const outcome = await serveCommand(root, plan, '1');
      expect(outcome.failure?.kind).toBe('busy');
      expect(`${outcome.failure?.message}. ${outcome.failure?.hint}`.replaceAll(String(port), '<port>').replaceAll(worktree, '<worktree>')).toMatchInlineSnapshot(
        `"port <port> of stage 1 is taken: another process listens on it. nx-stages stops only what it started. Free the port, or give stage 1 another one: PORT=<port> in <worktree>/.env.local, or nx run stage-1:serve --port=<port>."`,
      );
      expect(foreign.listening).toBe(true);
      expect(await said(port)).toBe('foreign\n');
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it('refuses a stage with no app that has a serve target', async () => {
    await stageWorktree('2');
    const outcome = await serveCommand(root, plan, '2');
    expect(outcome.failure?.kind).toBe('not-found');
    expect(outcome.failure?.message).toMatchInlineSnapshot(`"stage 2 has no app with a serve target: no project in its files (libs/ui/**) has one"`);
  });

  it('refuses an unknown stage, a stage without worktree and a port that is none, before starting anything', async () => {
    const unknown = await serveCommand(root, plan, '9');
    const noWorktree = await serveCommand(root, plan, '3');
    await stageWorktree('1');
    const badPort = await serveCommand(root, plan, '1', { port: 'http' });
    expect([unknown, noWorktree, badPort].map((outcome) => `${outcome.failure?.kind}: ${outcome.failure?.message}`)).toMatchInlineSnapshot(`
      [
        "not-found: no stage "9" in stages/stages.yaml (did you mean 1?)",
        "not-found: stage 3 has no worktree (no checkout of stage-3)",
        "invalid-input: --port=http is not a port",
      ]
    `);
    expect(git(root, ['worktree', 'list', '--porcelain']).match(/^worktree /gm)).toHaveLength(2);
  });

  it('refuses to start a second server for a stage whose server runs', async () => {
    await stageWorktree('1');
    // The record of a live process (this one), as a running serve target leaves it.
    writeServerRecord(join(root, '.git'), {
      stage: '1',
      project: 'cart',
      target: 'serve',
      pid: process.pid,
      port: 4301,
      url: 'http://localhost:4301/',
      worktree: root,
      startedAt: new Date().toISOString(),
    });
    const outcome = await serveCommand(root, plan, '1');
    expect(outcome.failure).toEqual({
      kind: 'busy',
      message: `stage 1's server already runs: pid ${process.pid}, http://localhost:4301/`,
      hint: 'Stop it where it runs (Ctrl+C) before starting it again.',
    });
  });
});
