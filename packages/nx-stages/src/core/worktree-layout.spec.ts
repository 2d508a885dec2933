import { allocatePort } from './ports';
import { portOf, renderEnvLocal } from './env-local';
import { isInside, stageBranch, stageWorktreePath } from './worktree-layout';

describe('stage branch and worktree path', () => {
  const settings = { branchPattern: 'stage-{id}', worktreeDir: '../{repo}-stage-{id}' };

  it('follows the plan patterns', () => {
    expect(stageBranch(settings, '9.1')).toBe('stage-9.1');
    expect(stageBranch({ branchPattern: 'feature/{id}/work' }, 'a')).toBe('feature/a/work');
    expect(stageWorktreePath(settings, '9.1', '/home/dev/dashboard')).toBe('/home/dev/dashboard-stage-9.1');
    expect(stageWorktreePath({ worktreeDir: '../../wt/{repo}/{id}' }, 'x', '/a/b/repo')).toBe('/a/wt/repo/x');
    expect(stageWorktreePath({ worktreeDir: '/srv/wt/{id}' }, 'x', '/a/repo')).toBe('/srv/wt/x');
  });

  it('keeps the default location outside the workspace', () => {
    expect(isInside(stageWorktreePath(settings, '1', '/w/repo'), '/w/repo')).toBe(false);
    expect(isInside('/w/repo/sub', '/w/repo')).toBe(true);
    expect(isInside('/w/repo', '/w/repo/')).toBe(true);
    expect(isInside('/w/repo-stage-1', '/w/repo')).toBe(false);
  });
});

describe('allocatePort', () => {
  const settings = { ports: { base: 4300, step: 10 } };

  it('takes the lowest free port after the base', () => {
    expect(allocatePort(settings, [])).toBe(4310);
    expect(allocatePort(settings, [4310, 4330])).toBe(4320);
  });

  it('says what to change when the sequence is exhausted', () => {
    expect(() => allocatePort({ ports: { base: 65530, step: 10 } }, [])).toThrow('set ports');
  });
});

describe('.env.local', () => {
  it('records the stage and its port, quoting names literally', () => {
    const text = renderEnvLocal({ id: '9.1', name: 'Dashboard $(touch x) #1', branch: 'stage-9.1', port: 4310 });
    expect(text).toContain("STAGE_NAME='Dashboard $(touch x) #1'");
    expect(text).toContain('PORT=4310');
    expect(portOf(text)).toBe(4310);
    expect(renderEnvLocal({ id: 'a', name: "Bob's $HOME", branch: 'b', port: 1 })).toContain('STAGE_NAME="Bob\'s \\$HOME"');
    expect(portOf('OTHER=1\n')).toBeUndefined();
  });
});
