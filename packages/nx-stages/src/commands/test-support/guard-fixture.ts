import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { commitFile, createRepo, git, makeTempDir } from '../../git/test-support/temp-repo';
import { commitPlan } from './plan-on-disk';

// The guard's repositories and payloads, for the command's spec and the bin's.

const STAGES = {
  '1': 'files:\n  - libs/alpha/**\n',
  '2': 'files:\n  - libs/beta/**\n',
  '3': 'files:\n  - libs/gamma/**\n',
};

/**
 * A repository `app` with the plan committed, the worktrees of stages 1 and 2 beside it (made by
 * git itself), and stage 3's branch merged into main.
 */
export function stageRepo(settings = 'baseBranch: main\n'): { root: string; one: string; two: string } {
  const root = join(makeTempDir(), 'app');
  renameSync(createRepo(), root);
  commitPlan(root, settings, STAGES);
  const one = join(root, '..', 'app-stage-1');
  const two = join(root, '..', 'app-stage-2');
  git(root, ['worktree', 'add', '--quiet', '-b', 'stage-1', one]);
  git(root, ['worktree', 'add', '--quiet', '-b', 'stage-2', two]);
  git(root, ['switch', '--quiet', '-c', 'stage-3']);
  commitFile(root, 'libs/gamma/index.ts', 'export {};\n', 'stage 3 work');
  git(root, ['switch', '--quiet', 'main']);
  git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge Stage 3: Stage 3', 'stage-3']);
  return { root, one, two };
}

export const hookPayload = (cwd: string, tool: string, input: Record<string, unknown>) =>
  JSON.stringify({
    session_id: 'test',
    transcript_path: join(cwd, 't.jsonl'),
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
    tool_use_id: 'toolu_1',
  });
export const writing = (cwd: string, file: string) => hookPayload(cwd, 'Write', { file_path: file, content: 'x' });
