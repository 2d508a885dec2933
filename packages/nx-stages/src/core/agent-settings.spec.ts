import { withGuardHook } from './agent-settings';

describe('withGuardHook', () => {
  const entry = (command: string) => ({ matcher: 'Write|Edit|MultiEdit|NotebookEdit', hooks: [{ type: 'command', command, timeout: 30 }] });

  it('adds the hook once, replaces its older command, and leaves an up-to-date file as it is', () => {
    const added = withGuardHook(undefined, "node '/a/nx-stages.js' guard", 'f');
    expect(added).toMatchObject({ ok: true, change: 'added' });
    const text = added.ok ? added.text : '';
    expect(withGuardHook(text, "node '/a/nx-stages.js' guard", 'f')).toEqual({ ok: true, text, change: 'unchanged' });
    const moved = withGuardHook(text, "node '/b/nx-stages.js' guard", 'f');
    expect(moved.ok && moved.change).toBe('updated');
    expect(moved.ok && JSON.parse(moved.text).hooks.PreToolUse).toEqual([entry("node '/b/nx-stages.js' guard")]);
  });

  it("never takes another hook for its own, even one sharing the guard's group", () => {
    const mixed = JSON.stringify({
      hooks: {
        PreToolUse: [
          {
            matcher: 'Write',
            hooks: [
              { type: 'command', command: 'npx nx-stages guard' },
              { type: 'command', command: './mine.sh' },
            ],
          },
        ],
      },
    });
    const merged = withGuardHook(mixed, 'npx nx-stages guard', 'f');
    expect(merged.ok && JSON.parse(merged.text).hooks.PreToolUse).toHaveLength(2);
  });

  it('refuses a file it cannot merge into, naming it', () => {
    const message = (text: string) => {
      const merged = withGuardHook(text, 'npx nx-stages guard', '/w/.claude/settings.local.json');
      return merged.ok ? 'merged' : merged.message;
    };
    expect([message('{ "hooks": '), message('[]'), message('{"hooks": []}'), message('{"hooks": {"PreToolUse": {}}}')]).toEqual([
      '/w/.claude/settings.local.json is not valid JSON (ValueExpected at offset 11)',
      '/w/.claude/settings.local.json is not a JSON object',
      '/w/.claude/settings.local.json has "hooks" that is not an object',
      '/w/.claude/settings.local.json has "hooks.PreToolUse" that is not a list',
    ]);
  });
});
