import { logger } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stageRepo } from '../../commands/test-support/guard-fixture';
import { commitFile, git, status, useTempRepos } from '../../git/test-support/temp-repo';
import { agentsGenerator } from './generator';

describe('agents generator on a real repository with worktrees', () => {
  useTempRepos();
  let logged: string[];
  beforeEach(() => {
    logged = [];
    jest.spyOn(logger, 'info').mockImplementation((line) => void logged.push(String(line)));
  });
  afterEach(() => jest.restoreAllMocks());

  async function generate(root: string): Promise<void> {
    const callback = await agentsGenerator(new FsTree(root, false), {});
    await callback();
  }
  const read = (path: string) => readFileSync(path, 'utf8');
  const settingsOf = (worktree: string) => JSON.parse(read(join(worktree, '.claude/settings.local.json')));

  it('installs the hook and the brief in every stage worktree, ignored by git, and changes nothing the second time', async () => {
    const { root, one, two } = stageRepo();
    await generate(root);
    for (const worktree of [one, two]) {
      expect(settingsOf(worktree).hooks.PreToolUse).toEqual([
        { matcher: 'Write|Edit|MultiEdit|NotebookEdit', hooks: [{ type: 'command', command: 'npx nx-stages guard', timeout: 30 }] },
      ]);
      expect(status(worktree)).toBe('');
    }
    expect(status(root)).toBe('');
    expect(read(join(one, 'CLAUDE.local.md'))).toMatchSnapshot();
    expect(read(join(root, '.git', 'info', 'exclude'))).toMatch(/^\/CLAUDE\.local\.md\n\/\.claude\/settings\.local\.json\n$/m);

    const files = () => [one, two].flatMap((worktree) => [read(join(worktree, '.claude/settings.local.json')), read(join(worktree, 'CLAUDE.local.md'))]);
    const exclude = () => read(join(root, '.git', 'info', 'exclude'));
    const before = { files: files(), exclude: exclude() };
    logged = [];
    await generate(root);
    expect({ files: files(), exclude: exclude() }).toEqual(before);
    const rows = logged[0].split('\n').map((line) => line.replace(/\S*app-stage-\d/, '<worktree>').replace(/\s+/g, ' '));
    expect(rows).toEqual([
      'stage worktree .claude/settings.local.json CLAUDE.local.md',
      expect.stringMatching(/^─+ ─+ ─+ ─+$/),
      '1 <worktree> unchanged unchanged',
      '2 <worktree> unchanged unchanged',
    ]);
  });

  it("merges into the user's settings and notes, keeping everything else", async () => {
    const { root, one } = stageRepo();
    mkdirSync(join(one, '.claude'));
    const mine =
      '{\n  // mine\n  "permissions": { "allow": ["Bash(npm test)"] },\n  "hooks": { "PreToolUse": [{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "./check.sh" }] }] }\n}\n';
    writeFileSync(join(one, '.claude/settings.local.json'), mine);
    writeFileSync(join(one, 'CLAUDE.local.md'), '# My notes\n\nUse the sandbox database.\n');
    await generate(root);
    const text = read(join(one, '.claude/settings.local.json'));
    expect(text).toContain('// mine');
    const settings = JSON.parse(text.replace('// mine', ''));
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(settings.hooks.PreToolUse.map((entry: { matcher: string }) => entry.matcher)).toEqual(['Bash', 'Write|Edit|MultiEdit|NotebookEdit']);
    const notes = read(join(one, 'CLAUDE.local.md'));
    expect(notes.startsWith('# My notes\n\nUse the sandbox database.\n\n<!-- nx-stages:agents begin')).toBe(true);
    await generate(root);
    expect(read(join(one, 'CLAUDE.local.md'))).toBe(notes);
  });

  it('leaves a file the repository tracks alone', async () => {
    const { root, one } = stageRepo();
    commitFile(one, 'CLAUDE.local.md', '# committed by the team\n', 'notes');
    await generate(root);
    expect(read(join(one, 'CLAUDE.local.md'))).toBe('# committed by the team\n');
    expect(existsSync(join(one, '.claude/settings.local.json'))).toBe(true);
    expect(status(one)).toBe('');
    expect(logged[0]).toMatch(/tracked: left alone/);
  });

  it('refuses settings that are not JSON, naming the file, and writes nothing anywhere', async () => {
    const { root, one, two } = stageRepo();
    mkdirSync(join(two, '.claude'));
    writeFileSync(join(two, '.claude/settings.local.json'), '{ "hooks": ');
    await expect(generate(root)).rejects.toThrow(`${join(two, '.claude/settings.local.json')} is not valid JSON`);
    expect(existsSync(join(one, '.claude'))).toBe(false);
    expect(existsSync(join(one, 'CLAUDE.local.md'))).toBe(false);
    expect(read(join(two, '.claude/settings.local.json'))).toBe('{ "hooks": ');
  });

  it('only says what it would do when Nx skips the callback (--dry-run)', async () => {
    const { root, one } = stageRepo();
    await agentsGenerator(new FsTree(root, false), {});
    expect(logged[0]).toMatch(/^1 +\S+app-stage-1 +added +added$/m);
    expect(existsSync(join(one, '.claude'))).toBe(false);
    expect(existsSync(join(one, 'CLAUDE.local.md'))).toBe(false);
    expect(read(join(root, '.git', 'info', 'exclude'))).not.toContain('CLAUDE.local.md');
  });

  it('says so when no stage has a worktree yet', async () => {
    const { root, one, two } = stageRepo();
    git(root, ['worktree', 'remove', one]);
    git(root, ['worktree', 'remove', two]);
    await generate(root);
    expect(logged).toEqual(['no stage has a worktree yet: create one with `nx g nx-stages:worktree <id>`, then run this again']);
  });
});
