import { mkdtempSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../core/model';
import { createRepo } from '../../git/test-support/temp-repo';
import { loadCommandPlan } from '../../io/command-plan';
import { createWorktree } from '../create-worktree';
import { commitPlan } from './plan-on-disk';

export interface ExecWorkspace {
  root: string;
  plan: Plan;
  worktreeOf: (id: string) => string;
}

/**
 * A workspace as a user has it, for the exec specs: stages 1, 2 and 3 (after 1) with worktrees
 * beside the main checkout, stage 4 without one. One for the spec file (tests only read it), in
 * a folder of its own: useTempRepos removes its folders after each test. Call after useTempRepos.
 */
export function useExecWorkspace(): ExecWorkspace {
  let home = '';
  const workspace: ExecWorkspace = { root: '', plan: undefined as unknown as Plan, worktreeOf: (id) => `${workspace.root}-stage-${id}` };
  beforeAll(async () => {
    home = realpathSync(mkdtempSync(join(tmpdir(), 'nx-stages-exec-')));
    workspace.root = join(home, 'app');
    renameSync(createRepo(), workspace.root);
    commitPlan(workspace.root, 'name: stages\n', { '1': '', '2': '', '3': 'dependsOn: ["1"]\n', '4': '' });
    workspace.plan = loadCommandPlan(workspace.root, 'stages');
    for (const id of ['1', '2', '3']) await createWorktree(workspace.root, workspace.plan, id, { dependencies: 'none', stack: true });
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  return workspace;
}

/** Prints a line on each stream and a last line without a newline; fails (exit 4) in stage 2's worktree. */
export const SAY_AND_FAIL_IN_2 = [
  process.execPath,
  '-e',
  `const here = require('path').basename(process.cwd());
console.log('hello from ' + here); console.error('warning from ' + here); process.stdout.write('no newline');
process.exitCode = here.endsWith('-2') ? 4 : 0;`,
];

/** The summary with its durations blanked: they are the one thing that changes between runs. */
export const withoutDurations = (text: string) => text.replace(/\d+(\.\d)? m?s$/gm, '<time>');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pids still alive after a few seconds: a signal is delivered, not awaited. */
export async function stillAlive(pids: readonly number[]): Promise<number[]> {
  for (let tries = 0; tries < 250 && pids.some(alive); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  return pids.filter(alive);
}
