import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { commitFolder } from './commit-folder';
import { commitFile, createRepo, git, useTempRepos } from './test-support/temp-repo';

describe('commitFolder', () => {
  useTempRepos();
  const PROOF = ['stage-proofs/stage-1/proof.json', 'stage-proofs/stage-1/reports/gate-1-test.txt', 'stage-proofs/stage-1/evidence/junit.xml'];
  const write = (root: string, files: readonly string[]) => {
    for (const file of files) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), `${file}\n`);
    }
  };
  const committed = (root: string) => git(root, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n');

  it.each([['stage-proofs/**/reports\nevidence\n'], ['*.json\n*.txt\n*.xml\n'], ['stage-proofs/\n']])(
    'commits every file of the folder even when .gitignore matches it (%j)',
    async (ignore) => {
      const root = createRepo();
      commitFile(root, '.gitignore', ignore, 'the user ignores reports');
      write(root, PROOF);
      const result = await commitFolder(root, 'stage-proofs/stage-1', 'Stage 1 Complete: One', 'body');
      expect(result).toMatchObject({ ok: true, value: expect.stringMatching(/^[0-9a-f]{40}$/) });
      expect(committed(root).sort()).toEqual([...PROOF].sort());
      expect(git(root, ['status', '--porcelain', '--', 'stage-proofs']).trim()).toBe('');
    },
  );

  it('commits only that folder: other staged work stays staged, ignored files elsewhere stay out, deletions are committed', async () => {
    const root = createRepo();
    commitFile(root, '.gitignore', 'evidence\n', 'ignore evidence');
    write(root, PROOF);
    await commitFolder(root, 'stage-proofs/stage-1', 'first proof', 'body');
    write(root, ['other/evidence/secret.txt', 'staged.txt']);
    git(root, ['add', 'staged.txt']);
    rmSync(join(root, 'stage-proofs/stage-1/reports/gate-1-test.txt'));
    writeFileSync(join(root, 'stage-proofs/stage-1/evidence/junit.xml'), '<testsuites/>\n');
    await commitFolder(root, 'stage-proofs/stage-1', 'second proof', 'body');
    expect(git(root, ['show', '--name-status', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual([
      'D\tstage-proofs/stage-1/reports/gate-1-test.txt',
      'M\tstage-proofs/stage-1/evidence/junit.xml',
    ]);
    expect(git(root, ['diff', '--cached', '--name-only']).trim()).toBe('staged.txt');
    expect(git(root, ['ls-files', 'other']).trim()).toBe('');
  });

  it('says so when there is nothing new to commit', async () => {
    const root = createRepo();
    write(root, PROOF);
    await commitFolder(root, 'stage-proofs/stage-1', 'proof', 'body');
    expect(await commitFolder(root, 'stage-proofs/stage-1', 'proof', 'body')).toEqual({ ok: true, value: undefined });
  });
});
