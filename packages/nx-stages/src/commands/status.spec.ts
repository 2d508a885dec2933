import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOf, stage } from '../core/test-support/plan-data';
import { commitFile, createRepo, git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { withLock } from '../git/lock';
import { failureText } from '../core/outcome';
import { renderStatus } from '../core/status-report';
import { processStartTime, serversFolder, writeServerRecord } from '../io/servers';
import { newWorktree } from './test-support/new-worktree';
import { statusCommand } from './status';
import { httpGet } from './test-support/http-get';

describe('statusCommand on a real repository', () => {
  // Real repositories: slow on a loaded 2-core machine.
  jest.setTimeout(60_000);
  useTempRepos();

  it('reports each stage from git: worktree, ahead/behind, changes, merged', async () => {
    const root = createRepo();
    const plan = planOf([stage('1', { assignee: 'alice' }), stage('2'), stage('3', { dependsOn: ['1'] })]);
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    commitFile(one.path, 'one.txt', 'one\n', 'work');
    writeFileSync(join(one.path, 'draft.txt'), 'not committed\n');
    git(root, ['checkout', '--quiet', '-b', 'stage-2']);
    commitFile(root, 'two.txt', 'two\n', 'two');
    git(root, ['checkout', '--quiet', 'main']);
    git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 2: Two', 'stage-2']);

    const result = await statusCommand(root, plan);
    expect(result.ok).toBe(true);
    const report = result.data!;
    expect(report.base).toBe('main');
    expect(report.stages.map((row) => row.id)).toEqual(['1', '2', '3']);
    expect(report.stages[0]).toMatchObject({ group: 'A', assignee: 'alice', branchExists: true, ahead: 1, behind: 2, uncommitted: 1, merged: false });
    expect(report.stages[0].worktree).toMatch(/stage-1$/);
    expect(report.stages[0].diskBytes).toBeGreaterThan(0);
    expect(report.stages[1]).toMatchObject({ worktree: null, merged: true, ahead: 0 });
    expect(report.stages[2]).toMatchObject({ group: 'B', branchExists: false, worktree: null, ahead: null, merged: false });
    // The text is the table of the same rows (its layout is pinned in core/status-report.spec).
    expect(result.text).toBe(renderStatus(report.stages, 'main').join('\n'));

    const table = await statusCommand(root, plan, { by: 'assignee' });
    expect(table.data).toEqual(report);
    expect(table.text).toBe(renderStatus(report.stages, 'main', { by: 'assignee' }).join('\n'));
    expect(table.text.split('\n')[0]).toBe('alice (1)');
    expect(table.text.split('\n').slice(-3)).toEqual([
      '3 stages · 1 with a worktree · 1 merged into main',
      'ready to start: none · waiting: 3 (needs 1)',
      'branches: local only (no remote)',
    ]);
    expect(report).toMatchObject({ ready: [], waiting: [{ id: '3', needs: ['1'] }], servers: [] });
  });

  it('forgets a worktree whose folder was deleted by hand', async () => {
    const root = createRepo();
    const plan = planOf([stage('1')]);
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    rmSync(one.path, { recursive: true, force: true });
    const report = (await statusCommand(root, plan)).data!;
    expect(report.stages[0]).toMatchObject({ branchExists: true, worktree: null });
  });

  it('shows the gates of a stage as running while its gates hold the stage', async () => {
    const root = createRepo();
    const plan = planOf([stage('1')]);
    await newWorktree(root, plan, '1', { dependencies: 'none' });
    const gatesOf = async () => (await statusCommand(root, plan)).data!.stages[0].gates;
    // The same lock a gates run takes (commands/gates.ts): held by this live process, then released.
    expect(await withLock(join(root, '.git'), 'gates-stage-1', gatesOf)).toBe('running');
    expect(await gatesOf()).toBeNull();
  });

  it('shows the stage servers that run, from their records, and drops the record of one that ended', async () => {
    const root = createRepo();
    const plan = planOf([stage('1'), stage('2', { dependsOn: ['1'] }), stage('3')]);
    const one = await newWorktree(root, plan, '1', { dependencies: 'none' });
    // A real dev server in the stage's worktree, on a port the kernel picks; its record as serve writes it.
    const server = spawn(process.execPath, ['-e', "require('http').createServer((q, r) => r.end('stage 1')).listen(0, function () { console.log(this.address().port) })"], {
      cwd: one.path,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [chunk] = (await once(server.stdout!, 'data')) as [Buffer];
      const port = Number(String(chunk).trim());
      const startedAt = new Date(Date.now() - 90_000).toISOString();
      const record = { stage: '1', project: 'cart', target: 'serve', pid: server.pid!, port, url: `http://localhost:${port}/`, worktree: one.path, startedAt };
      writeServerRecord(join(root, '.git'), { ...record, processStart: processStartTime(server.pid!) });
      expect(await httpGet(record.url)).toBe('stage 1');

      const now = new Date(Date.parse(startedAt) + 90_000);
      const result = await statusCommand(root, plan, { now });
      expect(result.ok).toBe(true);
      expect(result.data!.servers).toEqual([expect.objectContaining(record)]);
      expect(result.data).toMatchObject({ ready: ['3'], waiting: [{ id: '2', needs: ['1'] }] });
      // The section's layout is pinned in core/status-report.spec; here: the live server's own row.
      expect(result.text).toBe(renderStatus(result.data!.stages, 'main', { now, servers: result.data!.servers }).join('\n'));
      const lines = result.text.split('\n');
      expect(lines.slice(lines.indexOf('dev servers running (1):') + 3).map((line) => line.split(/\s+/))).toEqual([
        ['1', 'cart:serve', String(server.pid), String(port), record.url, '1m'],
      ]);
    } finally {
      server.kill('SIGKILL');
      await once(server, 'exit').catch(() => undefined);
    }
    // Gone: status no longer shows it, and its record is removed.
    const after = await statusCommand(root, plan);
    expect(after.data!.servers).toEqual([]);
    expect(after.text).not.toContain('dev servers running');
    expect(existsSync(serversFolder(join(root, '.git'))) ? readdirSync(serversFolder(join(root, '.git'))) : []).toEqual([]);
  });

  it('says so outside a git repository, naming the folder', async () => {
    const folder = makeTempDir();
    const result = await statusCommand(folder, planOf([]));
    expect(result).toMatchObject({ ok: false, text: '', failure: { kind: 'not-a-repository' } });
    expect(result.data).toBeUndefined();
    expect(failureText(result.failure!).replace(folder, '<folder>')).toMatchInlineSnapshot(
      `"<folder> is not inside a git repository. Run the command from a git checkout, or create one with \`git init\` and a first commit."`,
    );
  });
});
