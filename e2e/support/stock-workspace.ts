/**
 * Stock Nx workspaces for end-to-end tests: made by `create-nx-workspace` and `nx g @nx/js:lib`
 * exactly as a user gets them, with the packed plugin added the way the README says
 * (`nx add nx-stages@file:<tgz>`). Nothing a user would not change is changed: no reporters,
 * no targetDefaults, no outputs, no .gitignore entries. The only edits are the ones a user makes
 * to have one library use another (a dependency in package.json, an import, `nx sync`).
 *
 * Each workspace lives in a temp root of its own that also holds its HOME, so nothing reaches the
 * user's: Nx 23 keeps its task cache in `~/.nx/<workspace id>`, corepack its package managers in
 * `~/.cache/node/corepack`, pnpm its store in `~/.local/share/pnpm`, Yarn its cache in
 * `~/.yarn/berry`. The one thing shared with the machine is npm's own default cache (read for
 * speed, written as npm always does).
 *
 *   <temp root>/home      HOME and XDG folders of every command
 *   <temp root>/bin       corepack's pnpm or yarn shim, first on PATH
 *   <temp root>/<name>    the workspace (stage worktrees go beside it, still inside the root)
 */
import { homedir } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanEnv, makeTempRoot, packPlugin, removeTempRoot, run, runOrThrow, type RunResult } from './workspace';

export const CREATE_NX_WORKSPACE = 'create-nx-workspace@23.2.1';
/** The newest releases on the registry when this was written; pinned so every run gets the same. */
export const PNPM_VERSION = '12.21.0';
export const YARN_VERSION = '4.18.1';
/** Creating one took 115–133 s here (Node 20, 2 cores, npm cache warm). */
export const STOCK_SETUP_TIMEOUT = 600_000;
const INSTALL_TIMEOUT = 300_000;
/** `<pm> …args <package>` adds a dev dependency to the workspace root. */
const ADD_DEV: Record<'npm' | 'pnpm' | 'yarn', string[]> = { npm: ['install', '-D'], pnpm: ['add', '-D', '-w'], yarn: ['add', '-D'] };

export type StockKind = 'npm-jest' | 'npm-vitest' | 'pnpm-jest' | 'yarn4-jest';
type PackageManager = 'npm' | 'pnpm' | 'yarn';
type UnitTestRunner = 'jest' | 'vitest';

export interface StockOptions {
  /** `"parallel": 1` in nx.json, as nrwl/nx-examples has it. Off by default (Nx's default is 3). */
  parallelOne?: boolean;
  /** Workspace folder and npm scope (`@<name>/alpha`); default `ws`. */
  name?: string;
  /**
   * Not stock: replace the TypeScript create-nx-workspace installs (~6.0.3) by this version, the
   * way a user does (`<pm> add -D typescript@…`). On Node < 22.6 every stock Jest `test` target
   * fails (see JEST_NEEDS_TS_NODE); with '5.9.3' it passes. Default: the stock version.
   */
  typescript?: string;
}

/**
 * Node < 22.6 has no type stripping, so Jest 30 loads the generated `jest.config.cts` with ts-node,
 * which type-checks it against the project's tsconfig.json. TypeScript 6 defaults `types` to `[]`,
 * so `require`, `module` and `__dirname` are unknown and the stock `test` target fails before any
 * test runs. Measured on Node 20.20.2, Nx 23.2.1, Jest 30.3.0: TypeScript 6.0.3 fails, 5.9.3 passes.
 */
export const JEST_NEEDS_TS_NODE = !(process.features as { typescript?: unknown }).typescript;

export interface StockWorkspace {
  kind: StockKind;
  root: string;
  /** The temp root holding the workspace, its HOME and the package manager shim. */
  tempRoot: string;
  /** The environment of the workspace's commands: clean, HOME inside the temp root, shims on PATH. */
  env: NodeJS.ProcessEnv;
  packageManager: { name: PackageManager; version: string };
  /** The libraries, `beta` importing `alpha`: their Nx project names (`@<name>/alpha`, …). */
  projects: { alpha: string; beta: string };
  /** How long creating it took, in ms (everything up to the initial commit). */
  creationMs: number;
  /** The workspace's own nx, with NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true. */
  nx(args: readonly string[], extraEnv?: Record<string, string>): RunResult;
  run(command: string, args: readonly string[], extraEnv?: Record<string, string>): RunResult;
  git(args: readonly string[]): RunResult;
  commitAll(message: string): void;
  writeFile(relativePath: string, text: string): void;
  readFile(relativePath: string): string;
  /** Deletes the whole temp root: workspace, worktrees beside it, HOME, shims. */
  remove(): void;
}

export function createNpmJestWorkspace(options: StockOptions = {}): StockWorkspace {
  return createStockWorkspace('npm-jest', 'npm', 'jest', options);
}

export function createNpmVitestWorkspace(options: StockOptions = {}): StockWorkspace {
  return createStockWorkspace('npm-vitest', 'npm', 'vitest', options);
}

export function createPnpmJestWorkspace(options: StockOptions = {}): StockWorkspace {
  return createStockWorkspace('pnpm-jest', 'pnpm', 'jest', options);
}

/**
 * Yarn 4 as create-nx-workspace sets it up: `.yarnrc.yml` with `nodeLinker: node-modules`
 * (Nx writes it for every Yarn ≥ 2; Nx does not support Plug'n'Play) and `packageManager` in
 * package.json.
 */
export function createYarn4JestWorkspace(options: StockOptions = {}): StockWorkspace {
  return createStockWorkspace('yarn4-jest', 'yarn', 'jest', options);
}

export const STOCK_WORKSPACES: Record<StockKind, (options?: StockOptions) => StockWorkspace> = {
  'npm-jest': createNpmJestWorkspace,
  'npm-vitest': createNpmVitestWorkspace,
  'pnpm-jest': createPnpmJestWorkspace,
  'yarn4-jest': createYarn4JestWorkspace,
};

// ---------------------------------------------------------------------------------------------

function createStockWorkspace(kind: StockKind, pm: PackageManager, runner: UnitTestRunner, options: StockOptions): StockWorkspace {
  const started = Date.now();
  const name = options.name ?? 'ws';
  const tempRoot = makeTempRoot(`nx-stages-stock-${kind}-`);
  try {
    const env = stockEnv(tempRoot);
    const pmVersion = installPackageManager(tempRoot, pm, env);
    // A user creates a workspace on their machine, not in CI: with CI=true Yarn 4 refuses to
    // write its lock file (YN0028) and pnpm defaults to --frozen-lockfile.
    const setupEnv = withoutCi(env);
    const tarball = packPlugin(tempRoot);
    const root = join(tempRoot, name);
    const step = (command: string, args: readonly string[]) => runOrThrow(command, args, { cwd: root, env: setupEnv, timeout: INSTALL_TIMEOUT });
    const nxSetup = (args: readonly string[]) => step(process.execPath, [nxBin(root), ...args]);

    runOrThrow('npx', ['-y', CREATE_NX_WORKSPACE, name, '--preset=ts', '--nxCloud=skip', '--interactive=false', `--packageManager=${pm}`], {
      cwd: tempRoot,
      env: setupEnv,
      timeout: INSTALL_TIMEOUT,
    });
    const projects = { alpha: `@${name}/alpha`, beta: `@${name}/beta` };
    for (const lib of ['alpha', 'beta']) {
      const generate = ['g', '@nx/js:lib', `packages/${lib}`, `--unitTestRunner=${runner}`, '--bundler=tsc', '--linter=eslint', '--no-interactive'];
      const generated = run(process.execPath, [nxBin(root), ...generate], { cwd: root, env: setupEnv, timeout: INSTALL_TIMEOUT });
      if (generated.status !== 0) answerPnpmBuildApproval(generated, pm, step);
    }
    makeBetaUseAlpha(root, projects.alpha, pm);
    step(pm, ['install']);
    if (options.typescript) step(pm, [...ADD_DEV[pm], `typescript@${options.typescript}`]);
    // What Nx asks for once a project references another (`@nx/js:typescript-sync`).
    nxSetup(['sync']);
    nxSetup(['add', `nx-stages@file:${tarball}`]);
    if (options.parallelOne) updateJson(join(root, 'nx.json'), (nxJson) => ({ ...nxJson, parallel: 1 }));
    // create-nx-workspace made the "Initial commit"; everything a user did next belongs to it.
    step('git', ['add', '-A']);
    step('git', ['commit', '-q', '--amend', '--no-edit', '--no-verify']);

    return handle({ kind, root, tempRoot, env, packageManager: { name: pm, version: pmVersion }, projects, creationMs: Date.now() - started });
  } catch (error) {
    removeTempRoot(tempRoot);
    throw error;
  }
}

/**
 * cleanEnv (throwaway npm user config and git config, fixed git identity, Nx deterministic) plus
 * a HOME of its own, npm's real cache (fast, and npm's default), and corepack pointed at the
 * registry npm uses.
 */
function stockEnv(tempRoot: string): NodeJS.ProcessEnv {
  const home = join(tempRoot, 'home');
  const bin = join(tempRoot, 'bin');
  mkdirSync(home, { recursive: true });
  mkdirSync(bin, { recursive: true });
  const base = cleanEnv(tempRoot);
  const registry = runOrThrow('npm', ['config', 'get', 'registry'], { cwd: tempRoot, env: base }).stdout.trim().replace(/\/+$/, '');
  const env: NodeJS.ProcessEnv = {
    ...base,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    PATH: `${bin}:${base.PATH ?? ''}`,
    // npm's default cache of the real user: already filled on this machine, so installs are fast.
    npm_config_cache: join(homedir(), '.npm'),
    npm_config_prefer_offline: 'true',
    COREPACK_HOME: join(home, '.cache', 'node', 'corepack'),
    COREPACK_NPM_REGISTRY: registry,
    YARN_NPM_REGISTRY_SERVER: registry,
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    // Use the versions installed below, not whatever is newest at the time of the run.
    COREPACK_DEFAULT_TO_LATEST: '0',
    // This registry's metadata carries no signatures, so corepack's check refuses every download.
    COREPACK_INTEGRITY_KEYS: '',
    // The registry's abbreviated metadata lists some packages days before their dependencies'
    // new versions (measured: @babel/core 7.29.16 before @babel/traverse 7.29.16), and pnpm, with
    // no cache to fall back on, fails with ERR_PNPM_NO_MATCHING_VERSION. A week's delay avoids it.
    pnpm_config_minimum_release_age: '10080',
  };
  // Nx's default, as users have it: each plugin in a worker of its own.
  delete env.NX_ISOLATE_PLUGINS;
  return env;
}

function withoutCi(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.CI;
  return copy;
}

/** pnpm or yarn from corepack, as a shim in <temp root>/bin (never a global install). */
function installPackageManager(tempRoot: string, pm: PackageManager, env: NodeJS.ProcessEnv): string {
  const options = { cwd: tempRoot, env, timeout: INSTALL_TIMEOUT };
  if (pm === 'npm') return runOrThrow('npm', ['--version'], options).stdout.trim();
  const version = pm === 'pnpm' ? PNPM_VERSION : YARN_VERSION;
  runOrThrow('corepack', ['enable', '--install-directory', join(tempRoot, 'bin'), pm], options);
  // Makes it the default outside projects that name one (create-nx-workspace asks `<pm> --version`).
  runOrThrow('corepack', ['install', '-g', `${pm}@${version}`], options);
  const reported = runOrThrow(pm, ['--version'], options).stdout.trim();
  if (reported !== version) throw new Error(`expected ${pm} ${version} from corepack, got ${reported}`);
  return reported;
}

/**
 * pnpm ≥ 11 fails an install whose dependencies have build scripts nobody approved or denied
 * (ERR_PNPM_IGNORED_BUILDS). The Jest and ESLint generators deny `@swc/core` and `unrs-resolver`
 * in pnpm-workspace.yaml but miss `@parcel/watcher`, so `nx g @nx/js:lib` fails on a fresh pnpm 12
 * workspace after writing its files (measured). The user does what pnpm says, the way Nx does for
 * the others (deny: npm skips install scripts here too), and installs again.
 */
function answerPnpmBuildApproval(failed: RunResult, pm: PackageManager, step: (command: string, args: readonly string[]) => RunResult): void {
  const ignored = /ERR_PNPM_IGNORED_BUILDS[\s\S]*?Ignored build scripts: ([^\n]+)/.exec(failed.output);
  if (pm !== 'pnpm' || !ignored) throw new Error(`nx g @nx/js:lib failed:\n${failed.output}`);
  const packages = ignored[1].split(/,\s*/).map((spec) => spec.trim().replace(/(?<=.)@[^@]*$/, ''));
  step('pnpm', ['approve-builds', ...packages.map((name) => `!${name}`)]);
  step('pnpm', ['install']);
}

/**
 * What a user does to use one library from another: the dependency in package.json (`*` with npm,
 * `workspace:*` with pnpm and Yarn, as create-nx-workspace writes it), an import, a test for it.
 */
function makeBetaUseAlpha(root: string, alphaPackage: string, pm: PackageManager): void {
  updateJson(join(root, 'packages', 'beta', 'package.json'), (pkg) => ({
    ...pkg,
    dependencies: { ...(pkg.dependencies as object), [alphaPackage]: pm === 'npm' ? '*' : 'workspace:*' },
  }));
  writeFileSync(
    join(root, 'packages', 'beta', 'src', 'lib', 'beta.ts'),
    `import { alpha } from '${alphaPackage}';\n\nexport function beta(): string {\n  return \`beta uses \${alpha()}\`;\n}\n`,
  );
  const spec = join(root, 'packages', 'beta', 'src', 'lib', 'beta.spec.ts');
  const text = readFileSync(spec, 'utf8');
  const updated = text.replace("toEqual('beta')", "toEqual('beta uses alpha')");
  if (updated === text) throw new Error(`the generated ${spec} changed shape; expected toEqual('beta'):\n${text}`);
  writeFileSync(spec, updated);
}

function handle(ws: Omit<StockWorkspace, 'nx' | 'run' | 'git' | 'commitAll' | 'writeFile' | 'readFile' | 'remove'>): StockWorkspace {
  const { root, env } = ws;
  const exec = (command: string, args: readonly string[], extraEnv: Record<string, string> = {}) => run(command, args, { cwd: root, env: { ...env, ...extraEnv } });
  const bin = nxBin(root);
  return {
    ...ws,
    nx: (args, extraEnv = {}) => exec(process.execPath, [bin, ...args], { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true', ...extraEnv }),
    run: exec,
    git: (args) => exec('git', args),
    commitAll(message) {
      runOrThrow('git', ['add', '-A'], { cwd: root, env });
      runOrThrow('git', ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], { cwd: root, env });
    },
    writeFile(relativePath, text) {
      mkdirSync(dirname(join(root, relativePath)), { recursive: true });
      writeFileSync(join(root, relativePath), text);
    },
    readFile: (relativePath) => readFileSync(join(root, relativePath), 'utf8'),
    remove: () => removeTempRoot(ws.tempRoot),
  };
}

/** The workspace's nx bin (through node_modules/nx, a symlink into .pnpm with pnpm). */
function nxBin(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8'));
  return join(root, 'node_modules', 'nx', typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.nx);
}

function updateJson(path: string, update: (json: Record<string, unknown>) => Record<string, unknown>): void {
  writeFileSync(path, `${JSON.stringify(update(JSON.parse(readFileSync(path, 'utf8'))), null, 2)}\n`);
}
