import { decideWrite, hookOutput, ownersToCheck, parseHookPayload, type WriteFacts } from './guard';
import { planOf, stage } from './test-support/plan-data';
import { stageIdOfBranch } from './worktree-layout';

const plan = planOf([
  stage('1', { name: 'Alpha', files: ['libs/alpha/**', 'docs/alpha.md'] }),
  stage('2', { name: 'Beta', files: ['libs/beta/**'] }),
  stage('3', { name: 'Gamma', files: ['libs/gamma'] }),
  stage('4', { name: 'Later alpha', dependsOn: ['1'], files: ['libs/alpha/later/**'] }),
]);
const alpha = plan.stages[0];

/** A write by stage 1's agent in /w/app-stage-1 (the workspace is the worktree itself). */
function write(target: string, overrides: Partial<WriteFacts> = {}): WriteFacts {
  return { stage: alpha, plan, worktree: '/w/app-stage-1', workspace: '/w/app-stage-1', file: target, target, merged: new Set(), ...overrides };
}

describe('parseHookPayload', () => {
  const payload = (fields: Record<string, unknown>) =>
    JSON.stringify({ session_id: 's', transcript_path: '/t.jsonl', cwd: '/w/app-stage-1', permission_mode: 'default', hook_event_name: 'PreToolUse', ...fields });

  it('reads the file each write tool names', () => {
    expect(parseHookPayload(payload({ tool_name: 'Write', tool_input: { file_path: '/w/a.ts', content: 'x' } }))).toEqual({
      ok: true,
      call: { cwd: '/w/app-stage-1', tool: 'Write', file: '/w/a.ts' },
    });
    expect(parseHookPayload(payload({ tool_name: 'Edit', tool_input: { file_path: 'a.ts', old_string: 'a', new_string: 'b' } }))).toMatchObject({ call: { file: 'a.ts' } });
    expect(parseHookPayload(payload({ tool_name: 'MultiEdit', tool_input: { file_path: 'm.ts', edits: [{ old_string: 'a', new_string: 'b' }] } }))).toMatchObject({
      call: { file: 'm.ts' },
    });
    expect(parseHookPayload(payload({ tool_name: 'NotebookEdit', tool_input: { notebook_path: 'n.ipynb', new_source: 'x' } }))).toMatchObject({ call: { file: 'n.ipynb' } });
  });

  it('has no file for tools that write none', () => {
    expect(parseHookPayload(payload({ tool_name: 'Read', tool_input: { file_path: '/w/a.ts' } }))).toEqual({ ok: true, call: { cwd: '/w/app-stage-1', tool: 'Read' } });
    expect(parseHookPayload(payload({ tool_name: 'Bash', tool_input: { command: 'ls' } }))).toEqual({ ok: true, call: { cwd: '/w/app-stage-1', tool: 'Bash' } });
  });

  it('refuses what is not a PreToolUse payload, naming what is wrong', () => {
    const refusal = (text: string) => {
      const parsed = parseHookPayload(text);
      return parsed.ok ? 'accepted' : parsed.message;
    };
    expect({
      notJson: refusal('{"cwd": '),
      empty: refusal(''),
      array: refusal('[]'),
      noFields: refusal('{"session_id":"s"}'),
      otherEvent: refusal(payload({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'a' } })),
      noFile: refusal(payload({ tool_name: 'Write', tool_input: { content: 'x' } })),
      noNotebook: refusal(payload({ tool_name: 'NotebookEdit', tool_input: { file_path: 'n.ipynb' } })),
    }).toMatchInlineSnapshot(`
      {
        "array": "the hook payload on stdin is not a JSON object",
        "empty": "the hook payload on stdin is empty",
        "noFields": "the hook payload has no hook_event_name, cwd, tool_name, tool_input",
        "noFile": "the hook payload's Write call has no tool_input.file_path",
        "noNotebook": "the hook payload's NotebookEdit call has no tool_input.notebook_path",
        "notJson": "the hook payload on stdin is not JSON (Unexpected end of JSON input)",
        "otherEvent": "the hook payload is a PostToolUse event; the guard answers PreToolUse only",
      }
    `);
  });
});

describe('decideWrite', () => {
  it('denies a write outside the worktree, naming where it really goes', () => {
    const decision = decideWrite(write('/w/app/libs/alpha/x.ts'));
    expect(decision).toMatchObject({ permission: 'deny', rule: 'outside-worktree' });
    expect(decideWrite(write('/w/app/x.ts', { file: '../app/x.ts' })).reason).toMatchInlineSnapshot(
      `"../app/x.ts is outside the worktree of stage 1 (Alpha) (it resolves to /w/app/x.ts). Write only inside /w/app-stage-1; a change elsewhere belongs to another checkout: ask the user to make it there."`,
    );
    // A sibling folder sharing the name's start is not inside.
    expect(decideWrite(write('/w/app-stage-10/libs/alpha/x.ts')).rule).toBe('outside-worktree');
  });

  it("allows the stage's own files, its plan folder and its proof folder", () => {
    expect(decideWrite(write('/w/app-stage-1/libs/alpha/src/x.ts'))).toEqual({
      permission: 'allow',
      rule: 'own-file',
      reason: 'libs/alpha/src/x.ts is one of the files of stage 1 (Alpha).',
    });
    expect(decideWrite(write('/w/app-stage-1/docs/alpha.md')).permission).toBe('allow');
    expect(decideWrite(write('/w/app-stage-1/stages/1/stage.yaml')).permission).toBe('allow');
    expect(decideWrite(write('/w/app-stage-1/stage-proofs/stage-1/proof.json')).permission).toBe('allow');
  });

  it('allows a file the stage owns that a later stage owns too (they run in sequence)', () => {
    expect(decideWrite(write('/w/app-stage-1/libs/alpha/later/x.ts')).permission).toBe('allow');
  });

  it("denies another unmerged stage's files, naming the owner and what to do", () => {
    const decision = decideWrite(write('/w/app-stage-1/libs/beta/index.ts'));
    expect(decision).toMatchObject({ permission: 'deny', rule: 'other-stage', owners: ['2'] });
    expect(decision.reason).toMatchInlineSnapshot(
      `"libs/beta/index.ts belongs to stage 2 (Beta), not merged yet: leave it to that stage. If stage 1 (Alpha) needs the change, ask the user: the owner makes it, or the file moves to the files of stages/1/stage.yaml."`,
    );
    // A glob-free entry owns the folder and everything below it; a stage's plan folder is its own.
    expect(decideWrite(write('/w/app-stage-1/libs/gamma/deep/x.ts')).owners).toEqual(['3']);
    expect(decideWrite(write('/w/app-stage-1/stages/2/stage.yaml')).owners).toEqual(['2']);
  });

  it("asks for a merged stage's files: they are nobody's now", () => {
    expect(decideWrite(write('/w/app-stage-1/libs/beta/index.ts', { merged: new Set(['2']) }))).toMatchObject({ permission: 'ask', rule: 'outside-own-files' });
  });

  it("asks for a file outside the stage's own files, saying how to make it the stage's", () => {
    const decision = decideWrite(write('/w/app-stage-1/README.md'));
    expect(decision.permission).toBe('ask');
    expect(decision.reason).toMatchInlineSnapshot(
      `"README.md is not among the files of stage 1 (Alpha) (libs/alpha/**, docs/alpha.md). Allow it if the stage really needs it, and add it to files: in stages/1/stage.yaml so the plan says so."`,
    );
  });

  it('asks for a file of the worktree outside its Nx workspace (a workspace in a folder of the repository)', () => {
    const decision = decideWrite(write('/w/app-stage-1/tools/x.sh', { workspace: '/w/app-stage-1/web' }));
    expect(decision).toMatchObject({ permission: 'ask', rule: 'outside-own-files' });
    expect(decision.reason).toMatch(/^\/w\/app-stage-1\/tools\/x.sh is not among/);
  });
});

describe('ownersToCheck', () => {
  it('asks git about the other owners of a file the stage does not own, and nothing else', () => {
    expect(ownersToCheck(write('/w/app-stage-1/libs/beta/x.ts')).map((owner) => owner.id)).toEqual(['2']);
    expect(ownersToCheck(write('/w/app-stage-1/libs/alpha/x.ts'))).toEqual([]);
    expect(ownersToCheck(write('/w/app-stage-1/README.md'))).toEqual([]);
    expect(ownersToCheck(write('/w/elsewhere/libs/beta/x.ts'))).toEqual([]);
  });
});

describe('hookOutput', () => {
  it("is Claude Code's hookSpecificOutput, or nothing without an opinion", () => {
    expect(JSON.parse(hookOutput({ permission: 'deny', rule: 'other-stage', reason: 'why' }))).toEqual({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'why' },
    });
    expect(hookOutput({ permission: 'none', rule: 'not-a-write', reason: 'Read writes no file' })).toBe('');
  });
});

describe('stageIdOfBranch', () => {
  it('reads the id back from a branch named by the pattern', () => {
    expect(stageIdOfBranch({ branchPattern: 'stage-{id}' }, 'stage-9.1')).toBe('9.1');
    expect(stageIdOfBranch({ branchPattern: 'feature/{id}/work' }, 'feature/a-b/work')).toBe('a-b');
    expect(stageIdOfBranch({ branchPattern: 'x-{id}-{id}' }, 'x-7-7')).toBe('7');
    expect(stageIdOfBranch({ branchPattern: 'x-{id}-{id}' }, 'x-7-8')).toBeUndefined();
    expect(stageIdOfBranch({ branchPattern: 'stage-{id}' }, 'main')).toBeUndefined();
    expect(stageIdOfBranch({ branchPattern: 'stage-{id}' }, 'stage-')).toBeUndefined();
    expect(stageIdOfBranch({ branchPattern: 'stage-{id}' }, 'stage-a/b')).toBeUndefined();
    expect(stageIdOfBranch({ branchPattern: 'st.ge-{id}' }, 'stxge-1')).toBeUndefined();
  });
});
