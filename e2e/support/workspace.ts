/**
 * Real Nx workspaces for the end-to-end tests: a temp folder with git, package.json, nx.json,
 * and `nx`, `@nx/devkit` and the packed plugin installed from npm, exactly as a user gets them.
 *
 * Every child process is started with an argument array (never through a shell), with a clean
 * environment: nothing from the npm script that launched Jest (npm_config_local_prefix would make
 * npm install into this repository), a throwaway npm user config (the real ~/.npmrc is never read
 * or written), and Nx pinned to deterministic behaviour (no daemon, no cloud, no TUI, no plugin
 * workers).
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
export const PLUGIN_DIR = join(REPO_ROOT, 'packages', 'nx-stages');

export interface NxVersion {
  label: string;
  nx: string;
  devkit: string;
}

/** The Nx versions the plugin promises to work with, newest first (see SPEC §6 and TOOLCHAIN.md). */
export const NX_VERSIONS: NxVersion[] = [
  { label: 'Nx 24', nx: '24.0.6', devkit: '24.0.0' },
  { label: 'Nx 23', nx: '23.2.1', devkit: '23.2.1' },
];

/** Generous limits: an npm install takes 5–40 s depending on the registry; one nx call 0.5–2 s. */
export const SETUP_TIMEOUT = 300_000;
export const COMMAND_TIMEOUT = 120_000;

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr without ANSI colours: what a user reads in the terminal. */
  output: string;
}

/** A fresh temp folder (under the OS temp dir); remove it with removeTempRoot. */
export function makeTempRoot(label = 'nx-stages-e2e-'): string {
  return mkdtempSync(join(tmpdir(), label));
}

export function removeTempRoot(path: string | undefined): void {
  if (!path) return;
  if (!path.startsWith(tmpdir())) throw new Error(`refusing to remove ${path}: not under ${tmpdir()}`);
  rmSync(path, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * The environment of every child process: the parent's, minus npm's and Nx's own variables,
 * plus `extra`. An npm user config inside the temp folder keeps ~/.npmrc out of it.
 */
export function cleanEnv(tempRoot: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|NX_)/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  const userconfig = join(tempRoot, '.npmrc-e2e');
  if (!existsSync(userconfig)) writeFileSync(userconfig, '');
  const gitconfig = join(tempRoot, '.gitconfig-e2e');
  if (!existsSync(gitconfig)) writeFileSync(gitconfig, '');
  return {
    ...env,
    npm_config_userconfig: userconfig,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    // git: no user or system config (hooks, signing) gets in; a fixed identity for commits.
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'e2e',
    GIT_AUTHOR_EMAIL: 'e2e@example.com',
    GIT_COMMITTER_NAME: 'e2e',
    GIT_COMMITTER_EMAIL: 'e2e@example.com',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_ISOLATE_PLUGINS: 'false',
    NX_TUI: 'false',
    CI: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    ...extra,
  };
}

/**
 * Runs `command` with an argument array: no shell ever sees ids, names or paths.
 *
 * stdout and stderr go to files, not pipes: Nx calls process.exit() without waiting for a pipe
 * to drain, so under load piped output comes back cut short (seen here with `nx show projects`
 * on Nx 24.0.6: 278 of 1001 lines, exit 0). Writes to a file are synchronous, never lost.
 */
export function run(command: string, args: readonly string[], options: SpawnSyncOptions & { cwd: string; env: NodeJS.ProcessEnv }): RunResult {
  const capture = mkdtempSync(join(tmpdir(), 'nx-stages-e2e-io-'));
  try {
    const outFile = join(capture, 'stdout');
    const errFile = join(capture, 'stderr');
    const out = openSync(outFile, 'w');
    const err = openSync(errFile, 'w');
    let result;
    try {
      result = spawnSync(command, args, { timeout: COMMAND_TIMEOUT, ...options, stdio: ['ignore', out, err] });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    if (result.error) throw new Error(`${command} ${args.join(' ')} could not run: ${result.error.message}`);
    const stdout = readFileSync(outFile, 'utf8');
    const stderr = readFileSync(errFile, 'utf8');
    return { status: result.status, stdout, stderr, output: stripAnsi(`${stdout}\n${stderr}`) };
  } finally {
    rmSync(capture, { recursive: true, force: true });
  }
}

/** Throws with the full output when a setup step fails, so the failing test says why. */
export function runOrThrow(command: string, args: readonly string[], options: SpawnSyncOptions & { cwd: string; env: NodeJS.ProcessEnv }): RunResult {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` exited with ${result.status} in ${options.cwd}:\n${result.output}`);
  }
  return result;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * The JSON document inside noisy output (Nx prints a header and a footer around a target's
 * output): the longest span from a line starting with `{` or `[` that parses.
 */
export function extractJson<T = unknown>(text: string): T {
  const clean = stripAnsi(text);
  const lines = clean.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!/^[{[]/.test(lines[start])) continue;
    for (let end = lines.length; end > start; end--) {
      if (!/^[}\]]/.test(lines[end - 1]) && end - 1 !== start) continue;
      try {
        return JSON.parse(lines.slice(start, end).join('\n')) as T;
      } catch {
        // not this span
      }
    }
  }
  throw new Error(`no JSON document found in output:\n${clean}`);
}

/** A JS stack trace in the output: what the spec promises users never see for bad input. */
export const STACK_TRACE = /^\s+at .+[(\s].+:\d+:\d+\)?$/m;

/** Fails the test with the command's output unless it exited 0, and without a JS stack trace. */
export function expectSuccess(result: RunResult): void {
  if (result.status !== 0) throw new Error(`expected exit 0, got ${result.status}:\n${result.output}`);
  expect(result.output).not.toMatch(STACK_TRACE);
}

/** Failed (with `status` when given) with a message matching `message`, and without a JS stack trace. */
export function expectCleanFailure(result: RunResult, message: RegExp, status?: number): void {
  if (result.status === 0) throw new Error(`expected a failure, got exit 0:\n${result.output}`);
  if (status !== undefined) expect(result.status).toBe(status);
  expect(result.output).toMatch(message);
  expect(result.output).not.toMatch(STACK_TRACE);
}

/**
 * `npm pack` of the already built plugin into `destination` (`npm test` builds it first).
 * Returns the tarball's path.
 */
export function packPlugin(destination: string): string {
  if (!existsSync(join(PLUGIN_DIR, 'dist', 'index.js'))) {
    throw new Error(
      `The plugin is not built: ${join(PLUGIN_DIR, 'dist', 'index.js')} is missing.\n` +
        'Run `npm run build` in the repository root first (`npm test` and `npm run test:e2e` do it).',
    );
  }
  const result = runOrThrow('npm', ['pack', '--json', '--pack-destination', destination], { cwd: PLUGIN_DIR, env: cleanEnv(destination) });
  const [{ filename }] = extractJson<Array<{ filename: string }>>(result.stdout);
  const tarball = join(destination, filename.replace(/^@/, '').replace(/\//, '-'));
  if (!existsSync(tarball)) throw new Error(`npm pack did not write ${tarball}:\n${result.output}`);
  return tarball;
}

export interface Workspace {
  root: string;
  version: NxVersion;
  /** `nx <args>` in the workspace. */
  runNx(args: readonly string[], extraEnv?: Record<string, string>): RunResult;
  /** The plugin's own bin (`npx nx-stages <args>`), through the node_modules/.bin link npx uses. */
  runBin(args: readonly string[]): RunResult;
  git(args: readonly string[]): RunResult;
  /** Commits everything (the workspace's own repository, not this one). */
  commitAll(message: string): void;
  /** `git status --porcelain --untracked-files=all`: empty when nothing was written since the last commit. */
  status(): string;
  path(relativePath: string): string;
  read(relativePath: string): string;
  write(relativePath: string, content: string): void;
  exists(relativePath: string): boolean;
  remove(relativePath: string): void;
  /** Every file below `dir` (relative, sorted), skipping node_modules, .git and .nx. */
  files(dir?: string): string[];
}

/**
 * A real Nx workspace in a new folder below `parent`: `git init -b main`, package.json,
 * nx.json `{}`, a typical .gitignore, then `npm install -D nx@… @nx/devkit@… <tarball>`,
 * and a first commit.
 */
export function createWorkspace(parent: string, version: NxVersion, tarball: string): Workspace {
  const root = mkdtempSync(join(parent, `ws-nx${version.nx.split('.')[0]}-`));
  const env = cleanEnv(parent);
  const git = (args: readonly string[]) => run('git', args, { cwd: root, env });

  runOrThrow('git', ['init', '-q', '-b', 'main'], { cwd: root, env });
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: 'e2e-workspace', version: '0.0.0', private: true }, null, 2)}\n`);
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, '.gitignore'), '.nx/\nnode_modules/\n');
  runOrThrow('npm', ['install', '-D', '--save-exact', `nx@${version.nx}`, `@nx/devkit@${version.devkit}`, tarball], {
    cwd: root,
    env,
    timeout: SETUP_TIMEOUT,
  });
  const nxPackage = JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8'));
  if (nxPackage.version !== version.nx) throw new Error(`expected nx ${version.nx}, npm installed ${nxPackage.version}`);
  const nxBin = join(root, 'node_modules', 'nx', typeof nxPackage.bin === 'string' ? nxPackage.bin : nxPackage.bin.nx);
  const stagesBin = join(root, 'node_modules', '.bin', 'nx-stages');

  const workspace: Workspace = {
    root,
    version,
    runNx: (args, extraEnv = {}) => run(process.execPath, [nxBin, ...args], { cwd: root, env: { ...env, ...extraEnv } }),
    runBin: (args) => run(stagesBin, args, { cwd: root, env }),
    git,
    commitAll(message) {
      runOrThrow('git', ['add', '-A'], { cwd: root, env });
      runOrThrow('git', ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], { cwd: root, env });
    },
    status: () => runOrThrow('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, env }).stdout.trim(),
    path: (relativePath) => join(root, relativePath),
    read: (relativePath) => readFileSync(join(root, relativePath), 'utf8'),
    write(relativePath, content) {
      mkdirSync(dirname(join(root, relativePath)), { recursive: true });
      writeFileSync(join(root, relativePath), content);
    },
    exists: (relativePath) => existsSync(join(root, relativePath)),
    remove: (relativePath) => rmSync(join(root, relativePath), { recursive: true, force: true }),
    files(dir = '.') {
      const out: string[] = [];
      const walk = (absolute: string) => {
        for (const entry of readdirSync(absolute, { withFileTypes: true })) {
          if (['node_modules', '.git', '.nx'].includes(entry.name)) continue;
          const path = join(absolute, entry.name);
          if (entry.isDirectory()) walk(path);
          else out.push(relative(root, path));
        }
      };
      if (existsSync(join(root, dir))) walk(join(root, dir));
      return out.sort();
    },
  };
  workspace.commitAll('workspace with nx and nx-stages installed');
  return workspace;
}

// ---------------------------------------------------------------------------------------------
// Helpers for stage worktrees: folders beside the workspace (`../<workspace>-stage-<id>`), so a
// workspace that gets worktrees must live in a temp folder of its own (see worktree.spec.ts).

/**
 * The environment createWorkspace gives the workspace's own commands (cleanEnv of the folder it
 * was created in), for commands run elsewhere: in a stage worktree beside it.
 */
export function workspaceEnv(ws: Workspace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv(dirname(ws.root), extra);
}

/** `command args` (argument array, no shell) in `cwd`, e.g. a stage worktree, with the workspace's environment. */
export function runIn(ws: Workspace, cwd: string, command: string, args: readonly string[], extraEnv: Record<string, string> = {}): RunResult {
  return run(command, args, { cwd, env: workspaceEnv(ws, extraEnv) });
}

/**
 * Writes `files` (paths relative to `checkout`, e.g. a stage worktree) and commits them all there,
 * with the workspace's environment (`extraEnv` on top: a test's own HOME, say).
 */
export function commitIn(ws: Workspace, checkout: string, files: Record<string, string>, message: string, extraEnv: Record<string, string> = {}): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(checkout, path)), { recursive: true });
    writeFileSync(join(checkout, path), content);
  }
  expectSuccess(runIn(ws, checkout, 'git', ['add', '-A'], extraEnv));
  expectSuccess(runIn(ws, checkout, 'git', ['commit', '-q', '-m', message], extraEnv));
}

/** The nx bin installed in the workspace, for `node <nxBin> …` calls from any folder. */
export function nxBinOf(ws: Workspace): string {
  const nxPackage = JSON.parse(readFileSync(join(ws.root, 'node_modules', 'nx', 'package.json'), 'utf8'));
  return join(ws.root, 'node_modules', 'nx', typeof nxPackage.bin === 'string' ? nxPackage.bin : nxPackage.bin.nx);
}

/**
 * Like run, but does not block: several commands can run at the same time (e.g. two generators
 * racing for ports). Output goes to files for the same reason as in run.
 */
export function runAsync(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number }): Promise<RunResult> {
  const capture = mkdtempSync(join(tmpdir(), 'nx-stages-e2e-io-'));
  const outFile = join(capture, 'stdout');
  const errFile = join(capture, 'stderr');
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', out, err] });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? COMMAND_TIMEOUT);
    const finish = (error: Error | undefined, status: number | null) => {
      clearTimeout(timer);
      closeSync(out);
      closeSync(err);
      try {
        if (error) return reject(new Error(`${command} ${args.join(' ')} could not run: ${error.message}`));
        const stdout = readFileSync(outFile, 'utf8');
        const stderr = readFileSync(errFile, 'utf8');
        resolve({ status, stdout, stderr, output: stripAnsi(`${stdout}\n${stderr}`) });
      } finally {
        rmSync(capture, { recursive: true, force: true });
      }
    };
    child.once('error', (error) => finish(error, null));
    child.once('close', (status) => finish(undefined, status));
  });
}

/** `nx <args>` in the workspace without blocking (see runAsync). */
export function runNxAsync(ws: Workspace, args: readonly string[]): Promise<RunResult> {
  return runAsync(process.execPath, [nxBinOf(ws), ...args], { cwd: ws.root, env: workspaceEnv(ws) });
}

/** Paths (absolute) of every file or folder named `name` below `dir`, skipping .git and node_modules. */
export function findNamed(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const path = join(current, entry.name);
      if (entry.name === name) found.push(path);
      if (entry.isDirectory()) walk(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}
