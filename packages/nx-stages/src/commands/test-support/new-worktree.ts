import type { Plan } from '../../core/model';
import { failureText } from '../../core/outcome';
import { createWorktree, type CreatedWorktree, type CreateWorktreeOptions } from '../create-worktree';

/** A stage's worktree for a test's set-up: what createWorktree made, or an error saying why it did not (a fixture step, not the test). */
export async function newWorktree(root: string, plan: Plan, id: string, options: CreateWorktreeOptions = {}): Promise<CreatedWorktree> {
  const created = await createWorktree(root, plan, id, options);
  if (!created.ok || !created.data) throw new Error(`fixture: the worktree of stage ${id} was not created: ${created.failure ? failureText(created.failure) : created.text}`);
  return created.data;
}
