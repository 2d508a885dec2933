import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, head, snapshot, status, useTempRepos } from '../git/test-support/temp-repo';
import { failureText } from '../core/outcome';
import { conflictsCommand } from './conflicts';

useTempRepos();

/** Commits on `branch` (created from main when missing) and returns to main. */
function commitOn(repo: string, branch: string, files: Record<string, string>): void {
  const exists = git(repo, ['branch', '--list', branch]).trim() !== '';
  git(repo, ['checkout', '--quiet', ...(exists ? [] : ['-b']), branch, ...(exists ? [] : ['main'])]);
  for (const [path, text] of Object.entries(files)) commitFile(repo, path, text, `${branch}: ${path}`);
  git(repo, ['checkout', '--quiet', 'main']);
}

/** Refs, worktrees, HEAD, index and working files: all a forecast must leave as they were. */
function untouched(repo: string): string {
  return [snapshot(repo), head(repo), git(repo, ['symbolic-ref', 'HEAD']), git(repo, ['ls-files', '--stage']), status(repo)].join('\n');
}

const THEME = 'export const theme = {\n  primary: "blue",\n  accent: "green",\n};\n';

/** The method's dashboard plan: 9.1, 9.2, 9.3 in parallel, 9.4 after 9.1. */
function dashboardPlan() {
  return planOf([
    stage('9.1', { name: 'Dashboard UI', files: ['src/dashboard/**', 'src/shared/theme.ts'] }),
    stage('9.2', { name: 'Charts', files: ['src/charts/**'] }),
    stage('9.3', { name: 'WebSocket API', files: ['src/api/**'] }),
    stage('9.4', { name: 'Reports', dependsOn: ['9.1'], files: ['src/reports/**'] }),
  ]);
}

describe('conflictsCommand on a real repository', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  it('names two parallel stages that edit the same lines, before any merge, touching nothing', async () => {
    const repo = createRepo();
    commitFile(repo, 'src/shared/theme.ts', THEME, 'theme');
    commitOn(repo, 'stage-9.1', { 'src/dashboard/page.ts': 'page\n', 'src/shared/theme.ts': THEME.replace('blue', 'navy') });
    commitOn(repo, 'stage-9.2', { 'src/charts/bar.ts': 'bar\n', 'src/shared/theme.ts': THEME.replace('blue', 'teal') });
    commitOn(repo, 'stage-9.3', { 'src/api/hub.ts': 'hub\n' });
    commitOn(repo, 'stage-9.4', { 'src/reports/r.ts': 'r\n' });
    const before = untouched(repo);

    const result = await conflictsCommand(repo, dashboardPlan());
    // The forecast is the report even though it fails: the failure is for scripts.
    expect(result).toMatchObject({ ok: false, failure: { kind: 'failed', message: expect.stringContaining('9.1 with 9.2') } });
    expect(result.text).toMatchSnapshot();
    expect(untouched(repo)).toBe(before);

    expect(result.data).toMatchObject({
      success: false,
      base: 'main',
      checked: { stagePairs: 6, againstBase: 4 },
      conflicts: [{ stages: ['9.1', '9.2'], files: ['src/shared/theme.ts'] }],
      baseConflicts: [],
      simulation: { order: ['9.1', '9.2', '9.3', '9.4'], firstConflict: { step: 2, stage: '9.2', files: ['src/shared/theme.ts'] } },
      drift: [{ stage: '9.2', files: ['src/shared/theme.ts'] }],
    });
    expect(untouched(repo)).toBe(before);
  });

  it('passes when branches merge cleanly in dependency order; drift only warns; skips stages with nothing to merge', async () => {
    const repo = createRepo();
    commitOn(repo, 'stage-9.1', { 'src/dashboard/page.ts': 'page\n', 'stages/9.1/notes.md': 'own plan folder\n', 'stage-proofs/stage-9.1/proof.json': '{}\n' });
    commitOn(repo, 'stage-9.4', { 'src/reports/r.ts': 'r\n', 'README.md': '# touched outside its files\n' });
    git(repo, ['branch', 'stage-9.3']); // a branch with no work yet
    commitOn(repo, 'stage-9.2', { 'src/charts/bar.ts': 'bar\n' });
    git(repo, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 9.2: Charts', 'stage-9.2']);
    const before = untouched(repo);

    const result = await conflictsCommand(repo, planOf([...dashboardPlan().stages, stage('9.5', { name: 'Later' })]));
    expect(result.ok).toBe(true);
    expect(result.failure).toBeUndefined();
    expect(result.data).toMatchObject({ success: true, conflicts: [], baseConflicts: [], simulation: { order: ['9.1', '9.4'], firstConflict: null } });
    // Its own plan folder and proof folder are no drift; README.md is. Merge order: group A, then B.
    expect(result.data!.drift).toEqual([{ stage: '9.4', files: ['README.md'] }]);
    expect(result.data!.stages.map(({ id, state }) => `${id}:${state}`)).toEqual(['9.1:unmerged', '9.2:merged', '9.3:no-commits', '9.5:no-branch', '9.4:unmerged']);
    expect(result.text).toMatchSnapshot();
    expect(untouched(repo)).toBe(before);
  });

  it('forecasts a conflict with the base when it moved on under a branch', async () => {
    const repo = createRepo();
    commitFile(repo, 'src/shared/theme.ts', THEME, 'theme');
    commitOn(repo, 'stage-9.1', { 'src/shared/theme.ts': THEME.replace('blue', 'navy') });
    commitFile(repo, 'src/shared/theme.ts', THEME.replace('blue', 'red'), 'main changes the theme');
    const result = await conflictsCommand(repo, dashboardPlan());
    const json = result.data!;
    expect(result).toMatchObject({ ok: false, failure: { kind: 'failed' } });
    expect(json.baseConflicts).toEqual([{ stage: '9.1', files: ['src/shared/theme.ts'] }]);
    expect(json.simulation.firstConflict).toEqual({ step: 1, stage: '9.1', files: ['src/shared/theme.ts'] });
  });

  it("uses --base, the plan's branch pattern, and names paths from a workspace in a sub-folder", async () => {
    const repo = createRepo();
    git(repo, ['branch', 'develop']);
    commitOn(repo, 'work/1', { 'apps/ws/src/one.ts': 'one\n', 'apps/ws/src/shared.ts': 'by one\n', 'other/x.ts': 'outside\n' });
    commitOn(repo, 'work/2', { 'apps/ws/src/two.ts': 'two\n', 'apps/ws/src/shared.ts': 'by two\n' });
    const workspace = join(repo, 'apps', 'ws');
    mkdirSync(workspace, { recursive: true }); // after the checkouts, which remove emptied folders
    const plan = planOf([stage('1', { files: ['src/one.ts', 'src/shared.ts'] }), stage('2', { files: ['src/two.ts'] })], { branchPattern: 'work/{id}' });

    const result = await conflictsCommand(workspace, plan, { base: 'develop' });
    const json = result.data!;
    expect(json.base).toBe('develop');
    expect(json.conflicts).toEqual([{ stages: ['1', '2'], files: ['src/shared.ts'] }]);
    expect(json.drift).toEqual([
      { stage: '1', files: ['../../other/x.ts'] },
      { stage: '2', files: ['src/shared.ts'] },
    ]);
  });

  it('says there is nothing to forecast when no stage has a branch', async () => {
    const repo = createRepo();
    const result = await conflictsCommand(repo, dashboardPlan());
    expect(result).toMatchObject({ ok: true, data: { success: true, checked: { stagePairs: 0, againstBase: 0 } } });
    expect(result.text.split('\n')[0]).toBe('Nothing to forecast: no stage has an unmerged branch with commits of its own (base main).');
  });

  it('fails clearly, with no report, for an unknown base or outside a repository', async () => {
    const repo = createRepo();
    const unknown = await conflictsCommand(repo, dashboardPlan(), { base: 'nope' });
    expect(unknown).toMatchObject({ ok: false, text: '', failure: { kind: 'not-found' } });
    expect(unknown.data).toBeUndefined();
    expect(failureText(unknown.failure!)).toMatchInlineSnapshot(
      `"The base branch "nope" (from --base) does not exist. Name an existing branch, or leave it out to detect the base from git."`,
    );
    const outside = await conflictsCommand(join(repo, '..'), dashboardPlan());
    expect(outside).toMatchObject({ ok: false, text: '', failure: { kind: 'not-a-repository', message: expect.stringContaining('is not inside a git repository') } });
  });

  it('refuses a stage branch that shares no history with the base, naming it', async () => {
    const repo = createRepo();
    git(repo, ['checkout', '--quiet', '--orphan', 'stage-9.1']);
    git(repo, ['rm', '-r', '--quiet', '--cached', '.']);
    commitFile(repo, 'src/dashboard/page.ts', 'page\n', 'unrelated root');
    git(repo, ['checkout', '--quiet', '-f', 'main']);
    const result = await conflictsCommand(repo, dashboardPlan());
    expect(result).toMatchObject({ ok: false, text: '', failure: { kind: 'refused' } });
    expect(failureText(result.failure!)).toMatchInlineSnapshot(
      `"Branch stage-9.1 of stage 9.1 shares no history with main, so it cannot be merged. Recreate it from main (nx g nx-stages:worktree 9.1) and move the work over."`,
    );
  });
});
