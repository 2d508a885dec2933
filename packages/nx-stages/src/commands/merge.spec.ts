import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stage } from '../core/test-support/plan-data';
import { git, head, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { mergeStageCommand } from './merge';
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
    expect(merged).toMatchObject({ success: true, output: expect.stringContaining('Merged stage-1 into main') });
    expect(git(root, ['log', '-1', '--format=%s%n%P']).trim().split('\n')).toEqual(['Merge Stage 1: Alpha $(touch pwned)', expect.stringContaining(stageHead)]);
    expect(git(root, ['log', '-1', '--format=%P']).trim().split(' ')).toHaveLength(2);
    expect(existsSync(join(root, 'pwned'))).toBe(false);
    const after = head(root);
    expect(await mergeStageCommand(root, plan, one)).toMatchObject({ success: true, output: expect.stringContaining('already merged') });
    expect(head(root)).toBe(after);
  });

  it('refuses an unproven stage and one whose dependency is not merged, leaving the base as it was', async () => {
    const root = createStageRepo();
    await startStage(root, plan, '1');
    const before = { head: head(root), snapshot: snapshot(root), status: status(root) };
    const unproven = await mergeStageCommand(root, plan, one);
    expect(unproven).toMatchObject({ success: false, output: expect.stringContaining('no proof committed') });
    await startStage(root, plan, '2', { passed: 4 }, {}, true);
    await proveStage(root, plan, two);
    const waiting = await mergeStageCommand(root, plan, two);
    expect(waiting).toMatchObject({ success: false, output: expect.stringContaining('its dependencies are not merged into main: 1') });
    expect(head(root)).toBe(before.head);
    expect(status(root)).toBe(before.status);
  });

  it('a conflict aborts: base exactly as before, no merge in progress, files named', async () => {
    const root = createStageRepo();
    await startStage(root, plan, '1', {}, { 'shared.txt': 'alpha\n' });
    await startStage(root, plan, '3', {}, { 'shared.txt': 'gamma\n' });
    await proveStage(root, plan, one);
    await proveStage(root, plan, three);
    expect((await mergeStageCommand(root, plan, one)).success).toBe(true);
    const before = { head: head(root), snapshot: snapshot(root), status: status(root) };
    const conflict = await mergeStageCommand(root, plan, three);
    expect(conflict.success).toBe(false);
    expect(conflict.output).toContain('conflicts in shared.txt');
    expect({ head: head(root), snapshot: snapshot(root), status: status(root) }).toEqual(before);
    expect(mergeHeadOf(root)).toBe(false);
  });

  it('refuses a dirty base checkout, and --cleanup removes the merged worktree', async () => {
    const root = createStageRepo();
    const worktree = await startStage(root, plan, '1');
    await proveStage(root, plan, one);
    writeFileSync(join(root, 'notes.txt'), 'uncommitted\n');
    const dirty = await mergeStageCommand(root, plan, one);
    expect(dirty).toMatchObject({ success: false, output: expect.stringContaining('uncommitted changes: notes.txt') });
    git(root, ['add', 'notes.txt']);
    git(root, ['commit', '-q', '-m', 'notes']);
    const merged = await mergeStageCommand(root, plan, one, { cleanup: true, deleteBranch: true });
    expect(merged.success).toBe(true);
    expect(existsSync(worktree)).toBe(false);
    expect(git(root, ['branch', '--list', 'stage-1'])).toBe('');
  });

  it('a stage not started has nothing to merge', async () => {
    const root = createStageRepo();
    expect(await mergeStageCommand(root, plan, three)).toMatchObject({ success: true, output: expect.stringContaining('no branch stage-3 yet') });
  });
});
