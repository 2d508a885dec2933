import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitAt, GitExitError } from './client';
import { runGit } from './run';
import { createRepo, makeTempDir, useTempRepos } from './test-support/temp-repo';

useTempRepos();

describe('gitAt / runGit', () => {
  it('rejects with the exit code when git exits non-zero without writing to stderr', async () => {
    const repo = createRepo();
    await expect(gitAt(repo).raw(['rev-parse', '--verify', '--quiet', 'no-such-ref'])).rejects.toMatchObject({ exitCode: 1 });
    await expect(gitAt(repo).raw(['rev-parse', '--verify', '--quiet', 'no-such-ref'])).rejects.toBeInstanceOf(GitExitError);
  });

  it('returns exit codes as data from runGit', async () => {
    const repo = createRepo();
    const ran = await runGit(repo, ['merge-base', '--is-ancestor', 'HEAD', 'HEAD']);
    expect(ran).toEqual({ ok: true, value: { exitCode: 0, stdout: '', stderr: '' } });
    const refused = await runGit(repo, ['rev-parse', '--verify', 'no-such-ref']);
    expect(refused.ok && refused.value.exitCode).toBe(128);
  });

  it('fails with a clear message for a folder that does not exist', async () => {
    const missing = path.join(makeTempDir(), 'missing');
    expect(await runGit(missing, ['status'])).toMatchObject({ ok: false, message: expect.stringContaining(missing) });
  });

  it('ignores an ambient GIT_DIR that would redirect it to another repository', async () => {
    const repo = createRepo();
    const other = createRepo({ branch: 'other' });
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = path.join(other, '.git');
    try {
      expect((await gitAt(repo).raw(['symbolic-ref', 'HEAD'])).trim()).toBe('refs/heads/main');
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });

  it('prints unicode paths as they are (core.quotePath off)', async () => {
    const repo = createRepo();
    fs.writeFileSync(path.join(repo, 'café-ü.txt'), 'x');
    expect(await gitAt(repo).raw(['status', '--porcelain'])).toContain('?? café-ü.txt');
  });
});

describe('runGit without git', () => {
  it('fails (does not throw) when git cannot be started', async () => {
    const repo = createRepo();
    const saved = process.env.PATH;
    process.env.PATH = path.join(repo, 'no-bin-here');
    try {
      const ran = await runGit(repo, ['status']);
      expect(ran).toMatchObject({ ok: false, message: expect.stringContaining('Could not run git status') });
    } finally {
      process.env.PATH = saved;
    }
  });
});
