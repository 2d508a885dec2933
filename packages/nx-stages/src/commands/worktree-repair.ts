import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { uncommittedChanges } from '../git/changes';
import { describeJournal, journalKeys, readJournal, removeJournal } from '../git/journal';
import { samePath } from '../git/paths';
import { gitSaid, runGit } from '../git/run';
import { listWorktrees } from '../git/worktree-list';
import { removeWorktree } from '../git/worktree-remove';

/** What a worktree creation records before its first change (journal `worktree-<id>`). */
export interface WorktreeJournal {
  id: string;
  path: string;
  branch: string;
  /** true: the branch is ours (created by the call); false: it existed and is never deleted. */
  createBranch: boolean;
  /** Every commit the branch pointed at during the call (its start, then stacked merges). */
  tips: string[];
  /** The folder existed (empty) before. */
  folderExisted: boolean;
}

export const worktreeJournalKey = (id: string) => `worktree-${id}`;

// What the creation itself writes into a new worktree: not a person's work.
const OURS = /^(node_modules(\/|$)|\.env\.local$|\.nx\/)/;

/**
 * Journals of worktree creations that never ended (the process was killed): we hold the lock
 * every creation takes, so their owners are gone. Each half-made worktree and branch is removed —
 * but a worktree with changes a person made, or a branch with commits the call did not make, is
 * kept and named. Returns one sentence per journal found.
 */
export async function repairWorktrees(root: string, commonDir: string): Promise<string[]> {
  const sentences: string[] = [];
  for (const key of await journalKeys(commonDir, 'worktree-')) {
    const entry = await readJournal<WorktreeJournal>(commonDir, key);
    if (entry === undefined) continue;
    if (entry === 'unreadable') sentences.push('Found an unreadable record of an interrupted worktree creation; removed it and changed nothing.');
    else sentences.push(`Found the worktree of stage ${entry.data.id} left half-made by an interrupted call (${describeJournal(entry)}): ${await repairOne(root, entry.data)}.`);
    await removeJournal(commonDir, key);
  }
  return sentences;
}

async function repairOne(root: string, record: WorktreeJournal): Promise<string> {
  const done: string[] = [];
  const kept: string[] = [];
  const [listed, tip] = await Promise.all([listWorktrees(root), runGit(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${record.branch}`])]);
  if (!listed.ok) return `could not list the worktrees (${listed.message}); changed nothing`;
  const sha = tip.ok && tip.value.exitCode === 0 ? tip.value.stdout.trim() : undefined;
  // Commits the call did not make: someone worked on the branch since; their worktree stays too.
  const moved = sha !== undefined && !record.tips.includes(sha);
  const made = listed.value.find((entry) => samePath(entry.path, record.path) && entry.branch === record.branch);
  if (made) {
    const changes = existsSync(made.path) ? await uncommittedChanges(made.path) : undefined;
    const theirs = changes?.ok ? changes.value.filter((file) => !OURS.test(file)) : [];
    if (moved) kept.push(`the worktree ${made.path} and the branch ${record.branch} (it has commits the call did not make)`);
    else if (changes && !changes.ok && !made.locked) kept.push(`the worktree ${made.path} (its changes could not be listed: ${changes.message})`);
    else if (theirs.length > 0) kept.push(`the worktree ${made.path} (changed since: ${theirs.join(', ')})`);
    else {
      // git's own "initializing" lock (killed mid-checkout) needs the second --force.
      const removed = existsSync(made.path)
        ? await runGit(root, ['worktree', 'remove', '--force', '--force', '--', made.path]).then((ran) =>
            ran.ok && ran.value.exitCode !== 0 ? { ok: false as const, message: gitSaid(ran.value) } : ran,
          )
        : await removeWorktree(root, made.path, { force: true });
      if (removed.ok) done.push(`removed the worktree ${made.path}`);
      else kept.push(`the worktree ${made.path} (removing it failed: ${removed.message})`);
    }
  } else if (!record.folderExisted && existsSync(record.path) && readdirSync(record.path).length === 0) {
    rmdirSync(record.path);
    done.push(`removed the empty folder ${record.path}`);
  }
  // Only a branch the call created, not checked out in a worktree kept above, still where the call left it.
  if (record.createBranch && sha && kept.length === 0) {
    if (moved) kept.push(`the branch ${record.branch} (it has commits the call did not make)`);
    else {
      const deleted = await runGit(root, ['update-ref', '-d', `refs/heads/${record.branch}`, sha]); // compare-and-delete
      if (deleted.ok && deleted.value.exitCode === 0) done.push(`deleted the branch ${record.branch}`);
      else kept.push(`the branch ${record.branch} (deleting it failed)`);
    }
  }
  const parts = [...(done.length > 0 ? [done.join(' and ')] : []), ...(kept.length > 0 ? [`kept ${kept.join(' and ')}`] : [])];
  return parts.join('; ') || 'nothing of it was left';
}
