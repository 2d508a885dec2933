import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { newWorktree } from '../commands/test-support/new-worktree';
import { commitPlan } from '../commands/test-support/plan-on-disk';
import { createStageRepo, startStage } from '../commands/test-support/stage-fixture';
import { loadPlan } from '../core/load-plan';
import { commitFile, createRepo, git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { fsPlanSource } from '../io/fs-plan-source';
import { runCli } from './cli';

describe('npx nx-stages through its argument parser, on a real repository', () => {
  useTempRepos();
  let root: string;
  let worktree: string;
  let out: { log: string[]; error: string[] };
  const run = (...argv: string[]) => runCli(argv, root, { log: (text) => out.log.push(text), error: (text) => out.error.push(text) });

  /** A workspace whose stage 1 is worked on and merged: `clean` would remove its worktree. */
  beforeEach(async () => {
    root = join(makeTempDir(), 'app');
    renameSync(createRepo(), root);
    commitPlan(root, '', { '1': '' });
    worktree = (await newWorktree(root, loadPlan(fsPlanSource(root), 'stages'), '1', { dependencies: 'none' })).path;
    commitFile(worktree, 'one.txt', 'one\n', 'work 1');
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 1: Stage 1', 'stage-1']);
    out = { log: [], error: [] };
  });

  it.each([['--dry-run'], ['--dryRun']])('clean %s lists and removes nothing', async (flag) => {
    expect(await run('clean', flag, '--delete-branch')).toBe(0);
    expect(out.log.join('\n')).toMatch(/would remove stage 1: worktree .*app-stage-1 and branch stage-1/);
    expect(existsSync(worktree)).toBe(true);
    expect(git(root, ['branch', '--list', 'stage-1']).trim()).not.toBe('');
  });

  it("clean's report is on stdout also when it keeps a stage (exit 1: there is something to act on)", async () => {
    writeFileSync(join(worktree, 'notes.txt'), 'precious\n');
    expect(await run('clean')).toBe(1);
    expect(out.error).toEqual([]);
    expect(out.log.join('\n')).toContain('kept   stage 1: 1 uncommitted file (notes.txt)');
    expect(existsSync(join(worktree, 'notes.txt'))).toBe(true);
  });

  it("an unknown flag is an error naming it and the verb's usage; nothing is removed", async () => {
    expect(await run('clean', '--dryrun')).toBe(1);
    const said = out.error.join('\n');
    expect(said).toContain('unknown option --dryrun');
    expect(said).toContain('did you mean --dryRun?');
    expect(said).toContain('Usage: nx-stages clean [--dry-run] [--delete-branch] [--force]');
    expect(existsSync(worktree)).toBe(true);
  });

  it('list shows every stage; ready only those that can start now', async () => {
    commitPlan(root, '', { '2': 'dependsOn: ["1"]\n', '3': 'dependsOn: ["2"]\n' });
    expect(await run('list')).toBe(0);
    expect(
      out.log
        .join('\n')
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(['id', expect.stringMatching(/^─+$/), '1', '2', '3']);
    out.log = [];
    expect(await run('ready', '--json')).toBe(0);
    // 1 is merged, 3 waits for 2 to merge: only 2 can start.
    expect(JSON.parse(out.log.join('\n'))).toEqual({ base: 'main', stages: [{ id: '2', name: 'Stage 2', group: 'B', dependsOn: ['1'], assignee: null }] });
  });

  it("the stage verbs take their target's calls: a merged stage is skipped in one line", async () => {
    expect(await run('verify', '1')).toBe(0);
    expect(out.log).toEqual(['Stage 1 is merged into main: its committed proof stands, nothing to do.']);
    // With --json the skip is a document too: run-many scripts read one per stage.
    out.log = [];
    expect(await run('gates', '1', '--json')).toBe(0);
    expect(JSON.parse(out.log.join('\n'))).toEqual({ stage: '1', skipped: 'Stage 1 is merged into main: its committed proof stands, nothing to do.' });
    expect(await run('merge', '1')).toBe(0);
    expect(await run('gates', '7')).toBe(1);
    expect(out.error.join('\n')).toContain('no stage "7" in stages/stages.yaml');
    expect(await run('gates', '1', '--parallel=0')).toBe(1);
    expect(out.error.join('\n')).toContain('--parallel takes a whole number of 1 or more, not "0"');
  });

  it('worktree prints only the path on stdout and its progress on stderr; sync and merge answer through the one reporter', async () => {
    commitPlan(root, '', { '2': '' });
    const two = join(dirname(root), 'app-stage-2');
    expect(await run('worktree', '2', '--dependencies=none')).toBe(0);
    expect(out.log).toEqual([two]);
    expect(out.error[0]).toBe('Stage 2 (Stage 2): branch stage-2, worktree ../app-stage-2, dependencies: none');
    expect(out.error.at(-1)).toMatch(/^Stage 2 is ready on port \d+\.$/);

    const said = async (...argv: string[]) => {
      out = { log: [], error: [] };
      const code = await run(...argv);
      return { code, stdout: out.log.join('\n'), stderr: out.error.join('\n').split(two).join('<two>') };
    };
    expect(await said('worktree', '3')).toEqual({ code: 1, stdout: '', stderr: 'no stage "3" in stages/stages.yaml (did you mean 1?). `npx nx-stages list` lists them.' });
    expect(await said('sync', '2', '--strategy=squash')).toEqual({ code: 1, stdout: '', stderr: '--strategy takes merge or rebase, not "squash". Nothing was changed.' });
    expect(await said('sync', '2')).toEqual({ code: 0, stdout: 'Stage 2: stage-2 is up to date with main', stderr: '' });
    writeFileSync(join(two, 'draft.txt'), 'wip\n');
    commitFile(root, 'news.txt', 'news\n', 'news on main');
    expect(await said('sync', '2')).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "Sync of stage 2 stopped: <two> has uncommitted changes: draft.txt. Commit or stash them, then run sync again.",
        "stdout": "",
      }
    `);
    expect(await said('merge', '1')).toEqual({ code: 0, stdout: '✔ Stage 1 is already merged into main.', stderr: '' });
    expect(await said('merge', '2')).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "Merge of stage 2 refused: its proof is not valid for stage-2:
        - no proof committed: stage-proofs/stage-2/proof.json is not on the branch. Run gates, then proof. Make a new proof in its worktree (\`nx run stage-2:gates\`, then \`nx run stage-2:proof\`), then merge again.",
        "stdout": "",
      }
    `);
  });

  it("invalid settings stop the command with validate's line", async () => {
    commitFile(root, 'stages/stages.yaml', 'name: stages\nbranchPattern: "refs/heads/{id}"\n', 'bad pattern');
    expect(await run('clean', '--dry-run')).toBe(1);
    expect(out.error.join('\n')).toContain('stages/stages.yaml:2: error: invalid branchPattern');
    expect(existsSync(worktree)).toBe(true);
  });
  it('status: the table on stdout (by assignee: no blank line first), --json alone on stdout', async () => {
    commitPlan(root, '', { '2': 'assignee: alice\n' });
    expect(await run('status', '--by=assignee')).toBe(0);
    expect(out.error).toEqual([]);
    const table = out.log.join('\n').split('\n');
    expect(table[0]).toBe('alice (1)');
    expect(table.slice(-3)).toEqual(['2 stages · 1 with a worktree · 1 merged into main', 'ready to start: 2', 'branches: local only (no remote)']);
    out.log = [];
    expect(await run('status', '--json')).toBe(0);
    expect(out.log).toHaveLength(1);
    expect(JSON.parse(out.log[0])).toMatchObject({
      base: 'main',
      stages: [
        { id: '1', merged: true },
        { id: '2', assignee: 'alice', branchExists: false },
      ],
    });
    expect(out.error).toEqual([]);
  });

  it("status --resources: each stage worktree's processes, memory and disk, in the table and in --json", async () => {
    // A real process working in the stage's worktree, as a dev server or a test run would.
    const busy = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { cwd: worktree, stdio: 'ignore' });
    try {
      await new Promise((resolve) => busy.once('spawn', resolve));
      expect(await run('status', '--resources', '--json')).toBe(0);
      const data = JSON.parse(out.log.join('\n'));
      expect(data.resources).toHaveLength(1);
      expect(data.resources[0]).toMatchObject({ stage: '1', worktree });
      expect(data.resources[0].diskBytes).toBe(data.stages[0].diskBytes);
      // Where there is no /proc, processes are not known by folder: null.
      if (data.resources[0].processes !== null) expect(data.resources[0].processes.map((entry: { pid: number }) => entry.pid)).toContain(busy.pid);
      out.log = [];
      expect(await run('status', '--resources')).toBe(0);
      const lines = out.log.join('\n').split('\n');
      const section = lines.indexOf('stage worktrees: processes, memory, disk');
      expect(lines[section + 1]).toMatch(/^stage\s+worktree\s+processes\s+memory\s+disk\s+programs$/);
      expect(lines[section + 3].split(/\s+/).slice(0, 3)).toEqual(['1', worktree, data.resources[0].processes === null ? '—' : expect.stringMatching(/^[1-9]\d*$/)]);
      out.log = [];
      expect(await run('status', '--json')).toBe(0);
      expect(JSON.parse(out.log.join('\n')).resources).toBeUndefined();
    } finally {
      busy.kill('SIGKILL');
    }
  });

  it('status --by takes assignee only; outside a git repository --json prints the failure as the document, and says it on stderr', async () => {
    expect(await run('status', '--by=team')).toBe(1);
    expect(out.error.join('\n')).toContain('nx-stages status: --by takes "assignee", not "team"');
    out = { log: [], error: [] };
    rmSync(join(root, '.git'), { recursive: true, force: true });
    expect(await run('status', '--json')).toBe(1);
    expect(JSON.parse(out.log.join('\n'))).toMatchObject({ ok: false, kind: 'not-a-repository', message: expect.stringContaining('is not inside a git repository') });
    expect(out.error).toEqual([expect.stringContaining('is not inside a git repository. Run the command from a git checkout')]);
  });

  it('conflicts: the forecast on stdout even when it finds one (exit 1); with --json the document alone and the verdict on stderr', async () => {
    commitPlan(root, '', { '2': '', '3': '' });
    commitFile(root, 'shared.txt', 'line\n', 'shared');
    for (const id of ['2', '3']) {
      git(root, ['checkout', '--quiet', '-b', `stage-${id}`, 'main']);
      commitFile(root, 'shared.txt', `line by ${id}\n`, `stage ${id} work`);
      git(root, ['checkout', '--quiet', 'main']);
    }
    expect(await run('conflicts')).toBe(1);
    expect(out.error).toEqual([]);
    expect(out.log.join('\n')).toContain('✖ 1 pair of stages would conflict with each other:');
    out.log = [];
    expect(await run('conflicts', '--json')).toBe(1);
    expect(JSON.parse(out.log.join('\n'))).toMatchObject({ success: false, conflicts: [{ stages: ['2', '3'], files: ['shared.txt'] }] });
    expect(out.error).toEqual([expect.stringMatching(/^1 conflicting merge forecast \(2 with 3\); merging all into main in dependency order stops at step 2 \(stage 3\)\. /)]);
    out = { log: [], error: [] };
    expect(await run('conflicts', '--base=nope')).toBe(1);
    expect(out).toEqual({ log: [], error: ['The base branch "nope" (from --base) does not exist. Name an existing branch, or leave it out to detect the base from git.'] });
  });

  it('validate: the checklist on stdout also when it fails; --json the report alone on stdout', async () => {
    commitPlan(root, '', { '2': 'dependsOn: ["9"]\n' });
    expect(await run('validate')).toBe(1);
    expect(out.error).toEqual([]);
    expect(out.log.join('\n')).toContain('stages/2/stage.yaml:5: error: ');
    out.log = [];
    expect(await run('validate', '--json')).toBe(1);
    expect(JSON.parse(out.log.join('\n'))).toMatchObject({ planFile: 'stages/stages.yaml', stageCount: 2, errors: 1 });
    expect(out.error).toEqual(['The plan stages/stages.yaml has 1 error. Each error names its file and line.']);
  });

  it('plan: the summary on stdout; a bad team size on stderr, exit 1', async () => {
    expect(await run('plan', '--team-size=2')).toBe(0);
    expect(out.log.join('\n').split('\n').pop()).toBe('Wrote stages/PLAN.md');
    expect(await run('plan', '--team-size=0')).toBe(1);
    expect(out.error).toEqual(['--teamSize must be a whole number of people, at least 1 (got 0).']);
  });
});

describe('npx nx-stages gates, proof and verify: the streams a script reads', () => {
  useTempRepos();
  jest.setTimeout(60_000);

  it('gates --json: the result alone on stdout, the summary beside the progress; proof and verify answer on stdout, refusals on stderr', async () => {
    const root = createStageRepo();
    commitPlan(root, 'gates:\n  test: { run: "node run-tests.js" }\nprofiles:\n  default: [test, proof]\n', { '1': '' });
    const worktree = await startStage(root, loadPlan(fsPlanSource(root), 'stages'), '1');
    const out = { log: [] as string[], error: [] as string[] };
    const run = (...argv: string[]) => {
      out.log = [];
      out.error = [];
      return runCli(argv, root, { log: (text) => out.log.push(text), error: (text) => out.error.push(text) });
    };

    expect(await run('gates', '1', '--json')).toBe(0);
    expect(out.log).toHaveLength(1);
    expect(JSON.parse(out.log[0])).toMatchObject({ version: 2, stage: '1', clean: true, tests: { total: 3, passed: 3, failed: 0, skipped: 0 } });
    expect(out.error.at(-1)).toMatch(/^✔ Stage 1: 1 passed, 0 failed, 0 could not run, 0 n\/a, 0 not run in /);

    expect(await run('proof', '1', '--review=Reviewed.')).toBe(0);
    expect(out.log.join('\n')).toMatch(/^✔ Committed "Stage 1 Complete: Stage 1" on stage-1 \([0-9a-f]{7}\)\n✔ Tag stage-1-complete created\n/);
    expect(out.error).toEqual([]);
    expect(await run('verify', '1', '--json')).toBe(0);
    expect(JSON.parse(out.log.join('\n'))).toMatchObject({ stage: '1', branch: 'stage-1', valid: true, problems: [] });

    // Refused: --json still prints the report alone on stdout (exit 1); the refusal goes to stderr.
    commitFile(worktree, 'late.txt', 'late\n', 'a change after the proof');
    expect(await run('verify', '1', '--json')).toBe(1);
    expect(JSON.parse(out.log.join('\n'))).toMatchObject({ valid: false, problems: [expect.stringContaining('the branch changed after the proof: late.txt')] });
    expect(out.error.join('\n')).toContain('✖ Stage 1: the proof on stage-1 cannot be trusted:');
    expect(await run('proof', '1', '--review=Reviewed.')).toBe(1);
    expect(out.log).toEqual([]);
    expect(out.error.join('\n')).toMatch(/^Proof of stage 1 refused: the branch changed since the gates ran \(they measured [0-9a-f]{7}\)\. Run gates again\.$/);

    // A failing gate: the summary is the document, on stdout, and names the failing test.
    commitFile(worktree, 'fixture.json', JSON.stringify({ passed: 2, failed: 1, skipped: 0, covered: 95 }), 'a failing test');
    expect(await run('gates', '1')).toBe(1);
    expect(out.log).toHaveLength(1);
    expect(out.log[0]).toMatch(/^✖ Stage 1: 0 passed, 1 failed, 0 could not run, 0 n\/a, 1 not run in .* \(mandatory failed: test\)\n/);
    expect(out.error.join('\n')).toContain('test [mandatory] fail');
    expect(out.error.join('\n')).toContain('failing: bad 0');
  });
});
