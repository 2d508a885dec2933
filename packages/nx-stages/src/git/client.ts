import { GitError, simpleGit, type SimpleGit } from 'simple-git';

/**
 * Ambient variables git may still read. simple-git strips every other `GIT_*` variable (and
 * EDITOR, PAGER, …) from the child environment, which is what we want for GIT_DIR / GIT_WORK_TREE /
 * GIT_INDEX_FILE: set by a hook, they would silently redirect our calls to another repository.
 * Identity and date variables are kept because CI often provides the committer only this way
 * (merges create commits); GIT_CONFIG_NOSYSTEM only ever reduces what config is read.
 */
const PASSED_THROUGH = ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE', 'GIT_CONFIG_NOSYSTEM'];

/** Non-prefixed variables simple-git guards (it rejects a task that passes them explicitly). */
const GUARDED = new Set(['editor', 'pager', 'prefix', 'ssh_askpass', 'visual']);

/** A git process that ran and exited non-zero; carries what we need to decide, not just a text. */
export class GitExitError extends GitError {
  constructor(
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(undefined, stderr.trim() || stdout.trim() || `git exited with code ${exitCode}`);
  }
}

function childEnvironment(): NodeJS.ProcessEnv {
  const allowed = new Set(PASSED_THROUGH.map((key) => key.toLowerCase()));
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    const guarded = lower.startsWith('git_') || GUARDED.has(lower);
    if (!guarded || allowed.has(lower)) env[key] = value;
  }
  // C locale: git's messages (which we show and occasionally test for) stay in English.
  env.LC_ALL = 'C';
  return env;
}

/**
 * A simple-git client rooted at `dir`. Every call must pass its arguments as an array; nothing
 * goes through a shell. A non-zero exit always rejects with GitExitError — simple-git on its own
 * resolves successfully when git exits non-zero without writing to stderr (e.g.
 * `merge-base --is-ancestor`, `rev-parse --verify --quiet`), which would hide the answer.
 * Throws GitConstructError when `dir` does not exist (use runGit for a value instead).
 */
export function gitAt(dir: string, options: { input?: string; abort?: AbortSignal; indexFile?: string } = {}): SimpleGit {
  // An index of our own (a snapshot of a worktree's files): the one GIT_* variable we set ourselves.
  const index = options.indexFile === undefined ? {} : { GIT_INDEX_FILE: options.indexFile };
  return simpleGit({
    baseDir: dir,
    binary: 'git',
    maxConcurrentProcesses: 4,
    // quotePath off: paths with unicode come back as they are; colour off whatever the user set.
    config: ['core.quotePath=false', 'color.ui=false'],
    allowEnvironment: options.indexFile === undefined ? PASSED_THROUGH : [...PASSED_THROUGH, 'GIT_INDEX_FILE'],
    // Text for git's stdin (e.g. `merge-tree --stdin`); without it git gets nothing to read.
    ...(options.input === undefined ? {} : { input: () => options.input }),
    // An interrupt stops the running git (simple-git sends it SIGINT and waits for it to exit).
    ...(options.abort === undefined ? {} : { abort: options.abort }),
    errors(error, result) {
      // Replaces simple-git's own error (which, for exit 128 + "fatal:", is a GitConfigurationError
      // whatever the cause). Exit codes outside 1–255 mean git did not run or was killed: keep those.
      const exited = Number.isInteger(result.exitCode) && result.exitCode > 0 && result.exitCode < 256;
      if (!exited) return error;
      const text = (chunks: Buffer[]) => Buffer.concat(chunks).toString('utf-8');
      return new GitExitError(result.exitCode, text(result.stdOut), text(result.stdErr));
    },
  }).env({ ...childEnvironment(), ...index });
}
