import { commitFile, createRepo, git, head, status, useTempRepos } from './test-support/temp-repo';
import { undoIntegration, type IntegrationRecord } from './half-done';

// The states a merge can be left in, made by hand with git, and what undoIntegration does with each.
describe('undoIntegration on a real repository', () => {
  useTempRepos();

  /** main and a branch `topic` with one commit each since they parted. */
  function diverged(): { root: string; record: IntegrationRecord } {
    const root = createRepo();
    git(root, ['switch', '-q', '-c', 'topic']);
    const from = commitFile(root, 'topic.txt', 'topic\n', 'topic');
    git(root, ['switch', '-q', 'main']);
    const before = commitFile(root, 'main.txt', 'main\n', 'main');
    return { root, record: { checkout: root, branch: 'main', before, from, strategy: 'merge', message: 'Merge Stage t: Topic' } };
  }

  it('leaves a checkout the merge never touched as it is', async () => {
    const { record } = diverged();
    expect(await undoIntegration(record, 'keep')).toEqual({ ok: true, value: 'untouched' });
  });

  it('keeps a merge that completed (a later call), and takes it back for the interrupted call itself', async () => {
    const { root, record } = diverged();
    git(root, ['merge', '-q', '--no-ff', '-m', 'Merge Stage t: Topic', 'topic']);
    expect(await undoIntegration(record, 'keep')).toEqual({ ok: true, value: 'completed' });
    expect(await undoIntegration(record, 'undo')).toEqual({ ok: true, value: 'undone' });
    expect(head(root)).toBe(record.before);
    expect(status(root)).toBe('');
  });

  it('undoes a merge staged without MERGE_HEAD (git killed in pre-merge-commit) only while the index is exactly that merge', async () => {
    const { root, record } = diverged();
    git(root, ['merge', '-q', '--no-ff', '--no-commit', 'topic']);
    git(root, ['merge', '--quit']); // what a kill leaves: staged, no MERGE_HEAD
    expect(status(root)).toBe('A  topic.txt\n');
    expect(await undoIntegration(record, 'keep')).toEqual({ ok: true, value: 'undone' });
    expect(status(root)).toBe('');

    git(root, ['merge', '-q', '--no-ff', '--no-commit', 'topic']);
    git(root, ['merge', '--quit']);
    commitFile(root, 'other.txt', 'x\n', 'a person commits meanwhile'); // the base moved on
    expect(await undoIntegration(record, 'undo')).toMatchObject({ ok: false, message: expect.stringContaining('has moved on') });
  });

  it('never touches changes a person staged', async () => {
    const { root, record } = diverged();
    commitFile(root, 'main.txt', 'main 2\n', 'a later commit');
    const own = { ...record, before: head(root) };
    git(root, ['rm', '-q', 'main.txt']);
    expect(await undoIntegration(own, 'undo')).toMatchObject({ ok: false, message: expect.stringContaining('has staged changes') });
    expect(status(root)).toBe('D  main.txt\n');
  });
});
