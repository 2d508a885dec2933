import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BRIEF_FILE, renderStageBrief, withStageBrief } from '../core/agent-brief';
import { withGuardHook } from '../core/agent-settings';
import type { Plan } from '../core/model';
import { done, failed, refuse, type Outcome } from '../core/outcome';
import { renderTable } from '../core/table';
import { stageBranch } from '../core/worktree-layout';
import { excludeLocally } from '../git/ignored';
import { openRepository } from '../git/repository';
import { trackedAmong } from '../git/tracked';
import { listWorktrees } from '../git/worktree-list';

/** Claude Code's project settings that are personal and never committed (its docs: "local"). */
export const SETTINGS_FILE = '.claude/settings.local.json';
/** What git must ignore in every worktree, through the common git dir's info/exclude. */
const EXCLUDED = [`/${BRIEF_FILE}`, `/${SETTINGS_FILE}`];

export type FileChange = 'added' | 'updated' | 'unchanged' | 'tracked: left alone';

export interface AgentInstall {
  id: string;
  worktree: string;
  hook: FileChange;
  brief: FileChange;
}

/**
 * For every stage worktree there is: the guard hook in its Claude Code local settings (merged,
 * never clobbering the user's other settings) and the stage's brief in CLAUDE.local.md (only its
 * own section). Both files are made ignored by git for every worktree at once (info/exclude in
 * the common git dir), and a file the repository tracks is left alone, so nothing shows in a
 * stage's diff. With `write: false` it only says what it would do. A second run changes nothing.
 * All or nothing: a settings file it cannot read stops it before anything is written.
 */
export async function agentsCommand(
  root: string,
  plan: Plan,
  options: { hookCommand: string; write: boolean },
): Promise<Outcome<{ worktrees: AgentInstall[]; excluded: string[] }>> {
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const worktrees = await listWorktrees(repository.value.root);
  if (!worktrees.ok) return failed(worktrees);
  const planned: Array<AgentInstall & { writes: Array<{ file: string; text: string }> }> = [];
  for (const stage of plan.stages) {
    const worktree = worktrees.value.find((entry) => entry.branch === stageBranch(plan.settings, stage.id) && !entry.prunable && existsSync(entry.path));
    if (!worktree) continue;
    const tracked = await trackedAmong(worktree.path, [SETTINGS_FILE, BRIEF_FILE]);
    if (!tracked.ok) return failed(tracked);
    const writes: Array<{ file: string; text: string }> = [];
    const change = (file: string, next: (text: string | undefined) => { text: string; change: FileChange } | Outcome<never>): FileChange | Outcome<never> => {
      if (tracked.value.has(file)) return 'tracked: left alone';
      const path = join(worktree.path, file);
      const result = next(existsSync(path) ? readFileSync(path, 'utf8') : undefined);
      if ('ok' in result) return result;
      if (result.change !== 'unchanged') writes.push({ file: path, text: result.text });
      return result.change;
    };
    const hook = change(SETTINGS_FILE, (text) => {
      const merged = withGuardHook(text, options.hookCommand, join(worktree.path, SETTINGS_FILE));
      return merged.ok ? { text: merged.text, change: merged.change } : refuse('invalid-input', merged.message, merged.hint);
    });
    if (typeof hook !== 'string') return hook;
    const brief = change(BRIEF_FILE, (text) => {
      const next = withStageBrief(text, renderStageBrief(plan, stage));
      return { text: next, change: text === undefined ? 'added' : next === text ? 'unchanged' : 'updated' };
    });
    if (typeof brief !== 'string') return brief;
    planned.push({ id: stage.id, worktree: worktree.path, hook, brief, writes });
  }
  if (planned.length === 0) return done('no stage has a worktree yet: create one with `nx g nx-stages:worktree <id>`, then run this again', { worktrees: [], excluded: [] });

  let excluded: string[] = [];
  if (options.write) {
    const ignored = await excludeLocally(repository.value.commonDir, EXCLUDED);
    if (!ignored.ok) return failed(ignored);
    excluded = ignored.value;
    for (const { file, text } of planned.flatMap((install) => install.writes)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  const installs = planned.map(({ writes: _writes, ...install }) => install);
  const table = renderTable(
    ['stage', 'worktree', SETTINGS_FILE, BRIEF_FILE],
    installs.map((install) => [install.id, install.worktree, install.hook, install.brief]),
  );
  return done(table.join('\n'), { worktrees: installs, excluded });
}
