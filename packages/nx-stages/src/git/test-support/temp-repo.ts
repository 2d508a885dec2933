// Real temporary repositories for the git/ specs. The fixture drives git directly (execFileSync,
// argument arrays) so that a bug in the code under test cannot hide a bug in the setup.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];
let saved: Record<string, string | undefined> | undefined;

/**
 * Points HOME / XDG_CONFIG_HOME at an empty temp folder and disables the system config, so the
 * user's git configuration neither changes what tests see nor gets written by them.
 */
export function isolateGitEnvironment(): void {
  if (saved) return;
  const home = makeTempDir();
  saved = {
    HOME: process.env.HOME,
    XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
    GIT_CONFIG_NOSYSTEM: process.env.GIT_CONFIG_NOSYSTEM,
  };
  process.env.HOME = home;
  process.env.XDG_CONFIG_HOME = path.join(home, '.config');
  process.env.GIT_CONFIG_NOSYSTEM = '1';
}

export function restoreGitEnvironment(): void {
  if (!saved) return;
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  saved = undefined;
}

/** Registers the jest hooks: isolated env for the file, temp folders removed after each test. */
export function useTempRepos(): void {
  beforeAll(isolateGitEnvironment);
  afterEach(() => cleanup({ keepHome: true }));
  afterAll(() => {
    restoreGitEnvironment();
    cleanup();
  });
}

export function makeTempDir(): string {
  // realpath: on macOS os.tmpdir() is a symlink, and git reports resolved paths.
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-stages-git-')));
  created.push(dir);
  return dir;
}

/** Runs git in `dir` for test setup; throws with git's stderr when it fails. */
export function git(dir: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: dir, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`fixture: git ${args.join(' ')} failed in ${dir}: ${stderr}`, { cause: error });
  }
}

/** A new repository on `branch` (default main), with one commit unless `empty`. */
export function createRepo(options: { branch?: string; empty?: boolean } = {}): string {
  const dir = path.join(makeTempDir(), 'repo');
  fs.mkdirSync(dir);
  git(dir, ['init', '--quiet', `--initial-branch=${options.branch ?? 'main'}`]);
  git(dir, ['config', 'user.name', 'Stage Tester']);
  git(dir, ['config', 'user.email', 'tester@example.com']);
  git(dir, ['config', 'commit.gpgSign', 'false']);
  if (!options.empty) commitFile(dir, 'README.md', '# test repository\n', 'initial commit');
  return dir;
}

/** Writes `relPath` (creating folders), commits it, and returns the new commit's SHA. */
export function commitFile(dir: string, relPath: string, text: string, message: string): string {
  const file = path.join(dir, relPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  git(dir, ['add', '--', relPath]);
  git(dir, ['commit', '--quiet', '-m', message]);
  return head(dir);
}

export function head(dir: string): string {
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

/** `git status --porcelain` as text, to compare before/after snapshots. */
export function status(dir: string): string {
  return git(dir, ['status', '--porcelain=v1', '--untracked-files=all']);
}

/** Branches and worktrees as text, to prove an operation changed nothing. */
export function snapshot(dir: string): string {
  return [git(dir, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']), git(dir, ['worktree', 'list', '--porcelain'])].join('\n--\n');
}

export function cleanup(options: { keepHome?: boolean } = {}): void {
  const keep = options.keepHome && saved ? process.env.HOME : undefined;
  for (const dir of created.splice(0)) {
    if (dir === keep) {
      created.push(dir);
      continue;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
