import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stage } from '../core/test-support/plan-data';
import { git, head, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { mergeStageCommand } from './merge';
import { rendered } from './test-support/rendered';
import { createStageRepo, fixturePlan, proveStage, startStage } from './test-support/stage-fixture';

describe('mergeStageCommand on a real repository', () => {
  useTempRepos();
  jest.setTimeout(60_000);
  const plan = fixturePlan([stage('1', { name: 'Alpha $(touch pwned)' }), stage('2', { name: 'After alpha', dependsOn: ['1'] }), stage('3', { name: 'Also edits shared' })]);
  const [one, two, three] = plan.stages;
  const mergeHeadOf = (root: string) => existsSync(join(root, '.git', 'MERGE_HEAD'));

  it('merges a proven stage with --no-ff and the stage message; a second merge is a success that changes nothing', async () => {
    const root = createStageRepo();
    const worktree = await startStage(root, plan, '1', {}, { 'shared.txt': 'alpha\n' });
    await proveStage(root, plan, one);
    const stageHead = head(worktree);
    const merged = await mergeStageCommand(root, plan, one);
    expect(merged).toEqual({
      ok: true,
      text: `✔ Merged stage-1 into main (${head(root).slice(0, 7)}): "Merge Stage 1: Alpha $(touch pwned)"`,
      data: { id: '1', branch: 'stage-1', base: 'main', result: 'merged', head: head(root), message: 'Merge Stage 1: Alpha $(touch pwned)' },
    });
    expect(git(root, ['log', '-1', '--format=%s%n%P']).trim().split('\n')).toEqual(['Merge Stage 1: Alpha $(touch pwned)', expect.stringContaining(stageHead)]);
    expect(git(root, ['log', '-1', '--format=%P']).trim().split(' ')).toHaveLength(2);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    const after = head(root);
    expect(await mergeStageCommand(root, plan, one)).toEqual({
      ok: true,
      text: '✔ Stage 1 is already merged into main.',
      data: { id: '1', branch: 'stage-1', base: 'main', result: 'already-merged' },
    });
    expect(head(root)).toBe(after);
  });

  it('refuses an unproven stage and one whose dependency is not merged, leaving the base as it was', async () => {
    const root = createStageRepo();
    await startStage(root, plan, '1');
    const before = { head: head(root), snapshot: snapshot(root), status: status(root) };
    const unproven = await mergeStageCommand(root, plan, one);
    expect(unproven).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(rendered(unproven).stderr).toMatchInlineSnapshot(`
      "Merge of stage 1 refused: its proof is not valid for stage-1:
        - no proof committed: stage-proofs/stage-1/proof.json is not on the branch. Run gates, then proof. Make a new proof in its worktree (\`nx run stage-1:gates\`, then \`nx run stage-1:proof\`), then merge again."
    `);
    await startStage(root, plan, '2', { passed: 4 }, {}, true);
    await proveStage(root, plan, two);
    const waiting = await mergeStageCommand(root, plan, two);
    expect(waiting).toMatchObject({ ok: false, failure: { kind: 'refused' } });
    expect(rendered(waiting).stderr).toMatchInlineSnapshot(
      `"Merge of stage 2 refused: its dependencies are not merged into main: 1. Merge them first (nx run-many -t merge merges in dependency order)."`,
    );
    expect(head(root)).toBe(before.head);
    expect(status(root)).toBe(before.status);
  });

  it('a conflict aborts: base exactly as before, no merge in progress, files named', async () => {
    const root = createStageRepo();
    await startStage(root, plan, '1', {}, { 'shared.txt': 'alpha\n' });
    await startStage(root, plan, '3', {}, { 'shared.txt': 'gamma\n' });
    await proveStage(root, plan, one);
    await proveStage(root, plan, three);
    expect((await mergeStageCommand(root, plan, one)).ok).toBe(true);
    const before = { head: head(root), snapshot: snapshot(root), status: status(root) };
    const conflict = await mergeStageCommand(root, plan, three);
    expect(conflict).toMatchObject({ ok: false, failure: { kind: 'conflict', conflicts: ['shared.txt'] } });
    // The file named once, one closing stop, then what to do.
    expect(rendered(conflict).stderr).toMatchInlineSnapshot(
      `"Merge of stage 3 refused: conflicts in shared.txt; the merge was aborted and main is exactly as before. Bring main into the stage (nx run stage-3:sync), resolve there, run gates and proof again."`,
    );
    expect({ head: head(root), snapshot: snapshot(root), status: status(root) }).toEqual(before);
    expect(mergeHeadOf(root)).toBe(false);
  });

  it('refuses a dirty base checkout, and --cleanup removes the merged worktree', async () => {
    const root = createStageRepo();
    const worktree = await startStage(root, plan, '1');
    await proveStage(root, plan, one);
    writeFileSync(join(root, 'notes.txt'), 'uncommitted\n');
    const dirty = await mergeStageCommand(root, plan, one);
    expect(dirty).toMatchObject({ ok: false, failure: { kind: 'dirty', files: ['notes.txt'] } });
    expect(rendered(dirty, { '<root>': root }).stderr).toMatchInlineSnapshot(
      `"Merge of stage 1 refused: <root> has uncommitted changes: notes.txt. Commit or stash them in <root>, then merge again."`,
    );
    git(root, ['add', 'notes.txt']);
    git(root, ['commit', '-q', '-m', 'notes']);
    const merged = await mergeStageCommand(root, plan, one, { cleanup: true, deleteBranch: true });
    expect(merged).toMatchObject({ ok: true, data: { result: 'merged', cleaned: true } });
    expect(merged.text.split('\n')[0]).toMatch(/^✔ Merged stage-1 into main/);
    expect(existsSync(worktree)).toBe(false);
    expect(git(root, ['branch', '--list', 'stage-1'])).toBe('');
  });

  it('--cleanup that keeps the worktree (an uncommitted file) fails after the merge, with clean’s report as the text', async () => {
    const root = createStageRepo();
    const worktree = await startStage(root, plan, '1');
    await proveStage(root, plan, one);
    writeFileSync(join(worktree, 'notes.txt'), 'precious\n');
    const merged = await mergeStageCommand(root, plan, one, { cleanup: true });
    expect(merged).toMatchObject({
      ok: false,
      failure: { kind: 'refused', message: 'Stage 1 is merged, but clean kept its worktree' },
      data: { result: 'merged', cleaned: false },
    });
    const [line, ...report] = merged.text.split('\n');
    expect(line).toMatch(/^✔ Merged stage-1 into main \([0-9a-f]{7}\): "Merge Stage 1: Alpha \$\(touch pwned\)"$/);
    expect(report.join('\n')).toContain('kept   stage 1: 1 uncommitted file (notes.txt)');
    // The report says what failed: the failure is for scripts, not printed beside it.
    expect(rendered(merged).stderr).toBe('');
    expect(existsSync(join(worktree, 'notes.txt'))).toBe(true);
  });

  it('a stage not started has nothing to merge', async () => {
    const root = createStageRepo();
    expect(await mergeStageCommand(root, plan, three)).toEqual({
      ok: true,
      text: 'Stage 3 has no branch stage-3 yet: nothing to merge.',
      data: { id: '3', branch: 'stage-3', base: 'main', result: 'not-started' },
    });
  });
});
