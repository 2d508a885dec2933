import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRepo, git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { guardCommand } from './guard';
import { hookPayload as payload, stageRepo, writing } from './test-support/guard-fixture';

useTempRepos();

describe('guardCommand on real worktrees', () => {
  it('decides each write of stage 1 as the plan in the main checkout says', async () => {
    const { root, one } = stageRepo();
    const decide = async (file: string) => {
      const outcome = await guardCommand(writing(one, file));
      return { permission: outcome.data?.permission, rule: outcome.data?.rule, owners: outcome.data?.owners };
    };
    expect(await decide(join(one, 'libs/alpha/x.ts'))).toEqual({ permission: 'allow', rule: 'own-file', owners: undefined });
    expect(await decide('libs/alpha/relative.ts')).toMatchObject({ permission: 'allow' });
    expect(await decide(join(one, 'libs/beta/x.ts'))).toEqual({ permission: 'deny', rule: 'other-stage', owners: ['2'] });
    expect(await decide(join(one, 'libs/gamma/x.ts'))).toMatchObject({ permission: 'ask', rule: 'outside-own-files' });
    expect(await decide(join(one, 'README.md'))).toMatchObject({ permission: 'ask', rule: 'outside-own-files' });
    expect(await decide(join(root, 'libs/alpha/x.ts'))).toMatchObject({ permission: 'deny', rule: 'outside-worktree' });
    expect(await decide('../app/libs/alpha/x.ts')).toMatchObject({ permission: 'deny', rule: 'outside-worktree' });
    expect(await decide(`${one}/libs/../../app/x.ts`)).toMatchObject({ permission: 'deny', rule: 'outside-worktree' });
  });

  it('prints the decision as Claude Code reads it', async () => {
    const { one } = stageRepo();
    const outcome = await guardCommand(writing(one, join(one, 'libs/beta/x.ts')));
    expect(outcome.ok).toBe(true);
    expect(JSON.parse(outcome.text)).toEqual({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: outcome.data?.reason },
    });
  });

  it('follows symlinks of existing folders out of the worktree, and `..` after them', async () => {
    const { root, one } = stageRepo();
    const outside = makeTempDir();
    mkdirSync(join(outside, 'deep'));
    mkdirSync(join(one, 'libs', 'alpha'), { recursive: true });
    symlinkSync(outside, join(one, 'libs', 'alpha-link'));
    symlinkSync(join(root, 'README.md'), join(one, 'libs', 'alpha-readme'));
    symlinkSync(join(outside, 'deep'), join(one, 'libs', 'deep-link'));
    const rule = async (file: string) => (await guardCommand(writing(one, file))).data?.rule;
    expect(await rule(join(one, 'libs/alpha-link/new/x.ts'))).toBe('outside-worktree');
    expect(await rule(join(one, 'libs/alpha-readme'))).toBe('outside-worktree');
    // `deep-link/..` is the folder holding deep, outside; read lexically it would be libs/.
    expect(await rule(`${one}/libs/deep-link/../x.ts`)).toBe('outside-worktree');
    // A symlink inside the worktree to a file of the stage is the stage's file.
    symlinkSync(join(one, 'libs/alpha'), join(one, 'alpha'));
    expect(await rule(join(one, 'alpha/x.ts'))).toBe('own-file');
  });

  it('has no opinion outside stage worktrees and on tools that write nothing', async () => {
    const { root, one } = stageRepo();
    const none = async (text: string) => {
      const outcome = await guardCommand(text);
      return { ok: outcome.ok, text: outcome.text, permission: outcome.data?.permission, rule: outcome.data?.rule };
    };
    const notStage = { ok: true, text: '', permission: 'none', rule: 'not-a-stage-worktree' };
    expect(await none(writing(root, join(root, 'libs/beta/x.ts')))).toEqual(notStage);
    expect(await none(writing(makeTempDir(), '/etc/x'))).toEqual(notStage);
    const other = join(root, '..', 'app-feature');
    git(root, ['worktree', 'add', '--quiet', '-b', 'feature', other]);
    expect(await none(writing(other, join(other, 'x.ts')))).toEqual(notStage);
    expect(await none(payload(one, 'Read', { file_path: join(root, 'x.ts') }))).toEqual({ ok: true, text: '', permission: 'none', rule: 'not-a-write' });
    expect(await none(payload(one, 'Bash', { command: 'touch ../app/x' }))).toEqual({ ok: true, text: '', permission: 'none', rule: 'not-a-write' });
  });

  it('has no opinion in a repository without a plan', async () => {
    const plain = createRepo();
    const worktree = join(plain, '..', 'plain-stage-1');
    writeFileSync(join(plain, 'nx.json'), '{}\n');
    git(plain, ['worktree', 'add', '--quiet', '-b', 'stage-1', worktree]);
    expect((await guardCommand(writing(worktree, join(plain, 'x.ts')))).data?.rule).toBe('not-a-stage-worktree');
  });

  it('refuses a stage branch the plan does not know, naming the branch and the plan', async () => {
    const { root } = stageRepo();
    const stray = join(root, '..', 'app-stage-9');
    git(root, ['worktree', 'add', '--quiet', '-b', 'stage-9', stray]);
    const outcome = await guardCommand(writing(stray, join(stray, 'x.ts')));
    expect(outcome.failure?.kind).toBe('not-found');
    expect(outcome.failure?.message.replaceAll(stray, '<worktree>').replaceAll(root, '<root>')).toMatchInlineSnapshot(
      `"the worktree <worktree> is on stage-9, the branch of stage 9, but stages/stages.yaml in <root> has no stage "9""`,
    );
  });

  it('refuses a payload it cannot read', async () => {
    expect((await guardCommand('not json')).failure?.kind).toBe('invalid-input');
    expect((await guardCommand('{"hook_event_name":"PreToolUse"}')).failure?.message).toBe('the hook payload has no cwd, tool_name, tool_input');
  });

  it('reads a plan changed since the last call (the cache follows the files)', async () => {
    const { root, one } = stageRepo();
    const file = join(one, 'libs/beta/x.ts');
    expect((await guardCommand(writing(one, file))).data?.permission).toBe('deny');
    writeFileSync(join(root, 'stages/1/stage.yaml'), 'id: "1"\nname: Stage 1\nduration: 1w\nvalue: Users get 1.\nfiles:\n  - libs/alpha/**\n  - libs/beta/x.ts\n');
    expect((await guardCommand(writing(one, file))).data?.permission).toBe('allow');
  });

  it('refuses a base branch that does not exist when the decision needs it, naming where it came from', async () => {
    const { one } = stageRepo('baseBranch: develop\n');
    expect((await guardCommand(writing(one, join(one, 'libs/alpha/x.ts')))).data?.permission).toBe('allow');
    const outcome = await guardCommand(writing(one, join(one, 'libs/beta/x.ts')));
    expect(outcome.failure).toMatchObject({ kind: 'not-found', message: 'The base branch "develop" (from baseBranch in stages/stages.yaml) does not exist' });
  });

  it('refuses when the main checkout has a broken stages.yaml', async () => {
    const { root, one } = stageRepo();
    writeFileSync(join(root, 'stages/stages.yaml'), 'branchPattern: 42\n');
    const outcome = await guardCommand(writing(one, join(one, 'libs/alpha/x.ts')));
    expect(outcome.failure?.kind).toBe('invalid-input');
    expect(outcome.failure?.message).toMatch(/^stages\/stages.yaml has an error/);
  });
});
