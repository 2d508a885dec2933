import { changedFiles, changedFilesBatch, mergeBase, mergeTreeBatch, mergeTreeCheck, simulatedMergeCommit, treeOf } from './merge-tree';
import { commitFile, createRepo, git, head, snapshot, status, useTempRepos } from './test-support/temp-repo';

useTempRepos();

/** main with shared.txt; stage-1 and stage-2 branch from it. */
function repoWithBranches(): string {
  const repo = createRepo();
  commitFile(repo, 'shared.txt', 'one\ntwo\nthree\n', 'shared file');
  git(repo, ['branch', 'stage-1']);
  git(repo, ['branch', 'stage-2']);
  return repo;
}

/** Commits on `branch` without leaving main checked out elsewhere: switch, commit, switch back. */
function commitOn(repo: string, branch: string, path: string, text: string): string {
  git(repo, ['checkout', '--quiet', branch]);
  const sha = commitFile(repo, path, text, `${branch}: ${path}`);
  git(repo, ['checkout', '--quiet', 'main']);
  return sha;
}

/** Everything a forecast must leave alone: refs, worktrees, HEAD, index and working files. */
function untouched(repo: string): string {
  return [snapshot(repo), head(repo), git(repo, ['symbolic-ref', 'HEAD']), git(repo, ['ls-files', '--stage']), status(repo)].join('\n');
}

describe('mergeTreeCheck', () => {
  it('forecasts a clean merge with its tree, touching nothing', async () => {
    const repo = repoWithBranches();
    commitOn(repo, 'stage-1', 'one.txt', 'one\n');
    commitOn(repo, 'stage-2', 'two.txt', 'two\n');
    const before = untouched(repo);
    const result = await mergeTreeCheck(repo, 'stage-1', 'stage-2');
    expect(result).toEqual({ ok: true, value: { clean: true, tree: expect.stringMatching(/^[0-9a-f]{40}$/), conflictedFiles: [] } });
    const tree = result.ok ? result.value.tree : '';
    expect(git(repo, ['ls-tree', '--name-only', tree]).trim().split('\n')).toEqual(['README.md', 'one.txt', 'shared.txt', 'two.txt']);
    expect(untouched(repo)).toBe(before);
  });

  it('names the files two branches both changed on the same lines, touching nothing', async () => {
    const repo = repoWithBranches();
    commitOn(repo, 'stage-1', 'shared.txt', 'one\nTWO by 1\nthree\n');
    commitOn(repo, 'stage-1', 'one.txt', 'one\n');
    commitOn(repo, 'stage-2', 'shared.txt', 'one\nTWO by 2\nthree\n');
    const before = untouched(repo);
    const result = await mergeTreeCheck(repo, 'stage-1', 'stage-2');
    expect(result).toMatchObject({ ok: true, value: { clean: false, conflictedFiles: ['shared.txt'] } });
    expect(untouched(repo)).toBe(before);
  });

  it('reports modify/delete and add/add conflicts, each file once', async () => {
    const repo = repoWithBranches();
    commitOn(repo, 'stage-1', 'shared.txt', 'changed\n');
    commitOn(repo, 'stage-1', 'new.txt', 'by one\n');
    git(repo, ['checkout', '--quiet', 'stage-2']);
    git(repo, ['rm', '--quiet', 'shared.txt']);
    git(repo, ['commit', '--quiet', '-m', 'delete shared']);
    git(repo, ['checkout', '--quiet', 'main']);
    commitOn(repo, 'stage-2', 'new.txt', 'by two\n');
    const result = await mergeTreeCheck(repo, 'stage-1', 'stage-2');
    expect(result.ok && [...result.value.conflictedFiles].sort()).toEqual(['new.txt', 'shared.txt']);
  });

  it('keeps unusual file names intact (-z)', async () => {
    const repo = repoWithBranches();
    commitOn(repo, 'stage-1', 'dir with space/ünï\tcode.txt', 'one\n');
    commitOn(repo, 'stage-2', 'dir with space/ünï\tcode.txt', 'two\n');
    expect(await mergeTreeCheck(repo, 'stage-1', 'stage-2')).toMatchObject({ ok: true, value: { conflictedFiles: ['dir with space/ünï\tcode.txt'] } });
  });

  it('fails with a clear message for an unknown branch, unrelated histories, or an option-like name', async () => {
    const repo = repoWithBranches();
    const unknown = await mergeTreeCheck(repo, 'main', 'no-such-branch');
    expect(unknown).toMatchObject({ ok: false, message: expect.stringContaining('no-such-branch') });
    git(repo, ['checkout', '--quiet', '--orphan', 'unrelated']);
    git(repo, ['rm', '-r', '--quiet', '--cached', '.']);
    commitFile(repo, 'other.txt', 'other\n', 'unrelated root');
    git(repo, ['checkout', '--quiet', '-f', 'main']);
    const unrelated = await mergeTreeCheck(repo, 'main', 'unrelated');
    expect(unrelated).toMatchObject({ ok: false, hint: expect.stringContaining('share no history') });
    expect(await mergeTreeCheck(repo, 'main', '--stdin')).toMatchObject({ ok: false });
  });
});

describe('mergeTreeBatch', () => {
  it('answers many merges from one git process, in order, the same as one check each, touching nothing', async () => {
    const repo = repoWithBranches();
    git(repo, ['branch', 'stage-3']);
    commitOn(repo, 'stage-1', 'shared.txt', 'one\nTWO by 1\nthree\n');
    commitOn(repo, 'stage-2', 'shared.txt', 'one\nTWO by 2\nthree\n');
    commitOn(repo, 'stage-2', 'new.txt', 'by two\n');
    commitOn(repo, 'stage-3', 'new.txt', 'by three\n');
    const sha = (ref: string) => git(repo, ['rev-parse', ref]).trim();
    const merges: Array<[string, string]> = [
      ['main', 'stage-1'],
      ['stage-1', 'stage-2'],
      ['stage-1', 'stage-3'],
      ['stage-2', 'stage-3'],
    ].map(([a, b]) => [sha(a), sha(b)]);
    const before = untouched(repo);
    const batch = await mergeTreeBatch(repo, merges);
    expect(batch.ok && batch.value.map((forecast) => forecast.conflictedFiles)).toEqual([[], ['shared.txt'], [], ['new.txt']]);
    for (const [i, [ours, theirs]] of merges.entries()) {
      const single = await mergeTreeCheck(repo, ours, theirs);
      expect(batch.ok && batch.value[i]).toEqual(single.ok && single.value);
    }
    expect(untouched(repo)).toBe(before);
    expect(await mergeTreeBatch(repo, [])).toEqual({ ok: true, value: [] });
  });

  it('refuses names, and fails as a whole when git cannot merge one pair', async () => {
    const repo = repoWithBranches();
    expect(await mergeTreeBatch(repo, [['main', 'stage-1']])).toMatchObject({ ok: false, message: expect.stringContaining('"main" is not an object id') });
    git(repo, ['checkout', '--quiet', '--orphan', 'unrelated']);
    git(repo, ['rm', '-r', '--quiet', '--cached', '.']);
    const other = commitFile(repo, 'other.txt', 'other\n', 'unrelated root');
    git(repo, ['checkout', '--quiet', '-f', 'main']);
    const result = await mergeTreeBatch(repo, [
      [head(repo), head(repo)],
      [head(repo), other],
    ]);
    expect(result).toMatchObject({ ok: false, hint: expect.stringContaining('share no history') });
  });
});

describe('simulatedMergeCommit', () => {
  it('chains merges on unreferenced commits and finds the step that conflicts, touching nothing', async () => {
    const repo = repoWithBranches();
    git(repo, ['branch', 'stage-3']);
    commitOn(repo, 'stage-1', 'one.txt', 'one\n');
    commitOn(repo, 'stage-2', 'shared.txt', 'one\nTWO by 2\nthree\n');
    commitOn(repo, 'stage-3', 'shared.txt', 'one\nTWO by 3\nthree\n');
    const before = untouched(repo);
    const objects = git(repo, ['for-each-ref']);

    const main = head(repo);
    const first = await mergeTreeCheck(repo, main, 'stage-1');
    expect(first).toMatchObject({ ok: true, value: { clean: true } });
    const stage1 = git(repo, ['rev-parse', 'stage-1']).trim();
    const step1 = await simulatedMergeCommit(repo, first.ok ? first.value.tree : '', [main, stage1], 'forecast: stage-1');
    expect(step1).toEqual({ ok: true, value: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const commit1 = step1.ok ? step1.value : '';
    expect(git(repo, ['log', '--format=%P', '-1', commit1]).trim()).toBe(`${main} ${stage1}`);

    const second = await mergeTreeCheck(repo, commit1, 'stage-2');
    expect(second).toMatchObject({ ok: true, value: { clean: true } });
    const stage2 = git(repo, ['rev-parse', 'stage-2']).trim();
    const step2 = await simulatedMergeCommit(repo, second.ok ? second.value.tree : '', [commit1, stage2], 'forecast: stage-2');
    expect(step2.ok).toBe(true);
    expect(await mergeTreeCheck(repo, step2.ok ? step2.value : '', 'stage-3')).toMatchObject({ ok: true, value: { clean: false, conflictedFiles: ['shared.txt'] } });

    expect(untouched(repo)).toBe(before);
    expect(git(repo, ['for-each-ref'])).toBe(objects);
  });

  it('needs no user identity in the repository', async () => {
    const repo = repoWithBranches();
    git(repo, ['config', '--unset', 'user.name']);
    git(repo, ['config', '--unset', 'user.email']);
    const tree = git(repo, ['rev-parse', 'HEAD^{tree}']).trim();
    expect(await simulatedMergeCommit(repo, tree, [head(repo)], 'forecast')).toMatchObject({ ok: true });
  });

  it('refuses names where object ids are expected', async () => {
    const repo = repoWithBranches();
    expect(await simulatedMergeCommit(repo, 'HEAD^{tree}', [head(repo)], 'x')).toMatchObject({ ok: false, message: expect.stringContaining('HEAD^{tree}') });
  });
});

describe('mergeBase and changedFiles', () => {
  it('lists what a branch changed since it left main, renames as both paths', async () => {
    const repo = repoWithBranches();
    commitOn(repo, 'stage-1', 'src/a.ts', 'a\n');
    git(repo, ['checkout', '--quiet', 'stage-1']);
    git(repo, ['mv', 'shared.txt', 'moved.txt']);
    git(repo, ['commit', '--quiet', '-m', 'rename']);
    git(repo, ['checkout', '--quiet', 'main']);
    commitFile(repo, 'later-on-main.txt', 'x\n', 'main moves on');

    const base = await mergeBase(repo, 'main', 'stage-1');
    expect(base).toEqual({ ok: true, value: git(repo, ['rev-parse', 'stage-2']).trim() });
    const changed = await changedFiles(repo, base.ok ? base.value! : '', 'stage-1');
    expect(changed.ok && [...changed.value].sort()).toEqual(['moved.txt', 'shared.txt', 'src/a.ts']);
  });

  it('answers undefined for unrelated histories and fails for unknown names', async () => {
    const repo = repoWithBranches();
    git(repo, ['checkout', '--quiet', '--orphan', 'unrelated']);
    git(repo, ['rm', '-r', '--quiet', '--cached', '.']);
    commitFile(repo, 'other.txt', 'other\n', 'unrelated root');
    git(repo, ['checkout', '--quiet', '-f', 'main']);
    expect(await mergeBase(repo, 'main', 'unrelated')).toEqual({ ok: true, value: undefined });
    expect(await mergeBase(repo, 'main', 'nope')).toMatchObject({ ok: false, message: expect.stringContaining('nope') });
    expect(await changedFiles(repo, 'main', 'nope')).toMatchObject({ ok: false });
  });
});

describe('changedFilesBatch', () => {
  it('lists what differs between each pair of trees in one process, in order, names with spaces and all; an identical pair lists nothing', async () => {
    const repo = repoWithBranches();
    const first = head(repo);
    commitFile(repo, 'a b.txt', 'spaced\n', 'spaced name');
    commitFile(repo, 'dir/new.txt', 'new\n', 'nested');
    git(repo, ['rm', '--quiet', 'shared.txt']);
    git(repo, ['commit', '--quiet', '-m', 'remove shared']);
    const [from, to] = [(await treeOf(repo, first)) as { ok: true; value: string }, (await treeOf(repo, head(repo))) as { ok: true; value: string }];
    const listed = await changedFilesBatch(repo, [
      [from.value, to.value],
      [to.value, to.value],
      [to.value, from.value],
    ]);
    expect(listed).toEqual({ ok: true, value: [['a b.txt', 'dir/new.txt', 'shared.txt'], [], ['a b.txt', 'dir/new.txt', 'shared.txt']] });
    // The same answer as one `git diff` of the two commits.
    expect(await changedFiles(repo, first, 'HEAD')).toEqual({ ok: true, value: listed.ok ? listed.value[0] : [] });
    expect(await changedFilesBatch(repo, [['main', to.value]])).toMatchObject({ ok: false, kind: 'invalid-input' });
  });
});
