import { logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { createWorktree } from '../../commands/create-worktree';
import { describeWorktree } from '../../commands/describe-worktree';
import { pushTarget } from '../../commands/push-target';
import { publishWorktreeBranch } from '../../commands/worktree';
import { failureText, type Outcome } from '../../core/outcome';
import { checkPlanFolder, loadTreeCommandPlan } from '../shared/tree-plan-source';
import { typedText } from '../shared/typed-text';
import type { WorktreeGeneratorSchema } from './schema';

/**
 * Everything outside the file tree (branch, worktree, links) happens in the callback, which Nx
 * skips on --dry-run: a dry run prints the plan and touches nothing. A generator has no exit
 * code: a failure is thrown as one Error whose message is the failure as the bin says it, which
 * Nx prints (without a stack) and exits 1 on.
 */
export async function worktreeGenerator(tree: Tree, options: WorktreeGeneratorSchema): Promise<GeneratorCallback> {
  const id = typedText(options.id, undefined) ?? '';
  const plan = loadTreeCommandPlan(tree, checkPlanFolder(options.plan));
  logger.info(succeeded(await describeWorktree(tree.root, plan, id, options)).text);
  // Refused before anything is made: --push with no remote to push to.
  const remote = await pushTarget(tree.root, plan.settings, options.push);
  if (!remote.ok) throw new Error(failureText(remote));
  return async () => {
    const created = succeeded(
      await createWorktree(tree.root, plan, id, {
        base: options.base,
        stack: options.stack,
        dependencies: options.dependencies,
        log: (line) => logger.info(`  ✔ ${line}`),
      }),
    ).data!;
    if (remote.value) {
      const published = await publishWorktreeBranch(tree.root, remote.value, created);
      if (!published.ok) throw new Error(failureText(published));
      logger.info(`  ✔ ${published.value}`);
    }
    logger.info(`\nStage ${id} is ready on port ${created.port}:  cd "${created.path}"   (or: cd "$(npx nx-stages go ${id})")`);
  };
}

/** The outcome when it succeeded; else the Error Nx reports for a generator. */
function succeeded<T>(outcome: Outcome<T>): Outcome<T> {
  if (!outcome.ok) throw new Error(outcome.failure ? failureText(outcome.failure) : outcome.text);
  return outcome;
}

export default worktreeGenerator;
