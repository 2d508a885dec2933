// What the benchmarks share: arguments, a temp folder removed on exit, an environment isolated
// from the user's npm and Nx settings, commands run with their output captured in files, the
// packed plugin, medians.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NX_VERSION = '24.0.6';
export const DEVKIT_VERSION = '24.0.0';
export const PLUGIN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'nx-stages');

/** `--name=value` and `--flag` arguments; anything else prints the usage line and exits. */
export function parseArgs(usageLine) {
  const usage = (message) => {
    console.error(`${message}\nusage: ${usageLine}`);
    process.exit(2);
  };
  const args = Object.fromEntries(
    process.argv.slice(2).map((arg) => {
      const match = /^--([^=]+)(?:=(.*))?$/.exec(arg);
      if (!match) usage(`unexpected argument ${arg}`);
      return [match[1], match[2] ?? true];
    }),
  );
  return { args, usage };
}

/** A temp folder for everything a benchmark creates (in `parent`, the OS temp folder by default), removed on exit unless `keep`. */
export function benchTemp(prefix, { keep = false, parent = tmpdir() } = {}) {
  const temp = mkdtempSync(join(parent, prefix));
  let cleaned = false;
  process.on('exit', () => {
    if (cleaned || keep) return;
    cleaned = true;
    rmSync(temp, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  return temp;
}

/** The parent environment without npm's or Nx's variables, with a throwaway npm user config. */
export function benchEnv(temp, extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm_|NX_)/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  const userconfig = join(temp, '.npmrc');
  if (!existsSync(userconfig)) writeFileSync(userconfig, '');
  return {
    ...env,
    npm_config_userconfig: userconfig,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    CI: 'true',
    NO_COLOR: '1',
    ...extra,
  };
}

/**
 * A runner for commands (argument arrays, no shell) whose stdout and stderr go to files: Nx calls
 * process.exit() without draining a pipe, so piped output can come back cut short (278 of 1001
 * lines of `nx show projects`, exit 0). Throws on a non-zero exit, with the output.
 */
export function capturingRunner(temp) {
  let captures = 0;
  return function run(command, commandArgs, { cwd, env, timeout = 600_000 }) {
    const base = join(temp, `io-${++captures}`);
    const out = openSync(`${base}.out`, 'w');
    const err = openSync(`${base}.err`, 'w');
    let result;
    try {
      result = spawnSync(command, commandArgs, { cwd, env, timeout, stdio: ['ignore', out, err] });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    const stdout = readFileSync(`${base}.out`, 'utf8');
    const stderr = readFileSync(`${base}.err`, 'utf8');
    rmSync(`${base}.out`);
    rmSync(`${base}.err`);
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`\`${command} ${commandArgs.join(' ')}\` exited with ${result.status} in ${cwd}:\n${stdout}\n${stderr}`);
    return { status: result.status, stdout, stderr };
  };
}

/** Packs the built plugin into `temp` and returns the tarball's path. */
export function packPlugin(temp, run, env) {
  if (!existsSync(join(PLUGIN_DIR, 'dist', 'index.js'))) {
    console.error(`The plugin is not built (${join(PLUGIN_DIR, 'dist')} is missing): run \`npm run build\` first.`);
    process.exit(1);
  }
  const result = run('npm', ['pack', '--json', '--pack-destination', temp], { cwd: PLUGIN_DIR, env });
  const [{ filename }] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
  return join(temp, filename);
}

/** The `nx` bin installed in `root` (its path moved between Nx versions: bin/ → dist/bin/). */
export function nxBin(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8'));
  return join(root, 'node_modules', 'nx', typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.nx);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Prints a benchmark's Markdown report and writes it to `file` (tools/bench/results/…). */
export function writeResults(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(text);
  console.error(`written to ${file}`);
}

/** Runs a benchmark's main (sync or async): a failure prints its message and sets exit code 1, no stack. */
export async function runBench(main) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
