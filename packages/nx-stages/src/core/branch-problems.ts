import type { Plan, Problem } from './model';
import { invalidRefReason } from './parse-settings';
import { stageBranch, unsafeBranchReason, type BranchContext } from './worktree-layout';

/**
 * Stage branches that could hurt: the base branch (`clean --deleteBranch` would delete it), git's
 * HEAD, a name that looks like a remote's branch. parse-settings checks the pattern on its own;
 * this checks each stage's actual branch, and the repository's remotes when the caller knows
 * them (validate asks git).
 */
export function branchProblems(plan: Plan, context: BranchContext = {}): Problem[] {
  const { settings } = plan;
  const line = settings.lines.branchPattern;
  const hint = `change branchPattern in ${settings.file} (e.g. stage-{id}) or give the stage another id`;
  // A remote's name written in the pattern itself is one problem, at the pattern's line.
  const [first] = settings.branchPattern.split('/');
  if (settings.branchPattern.includes('/') && !first.includes('{id}') && context.remotes?.includes(first)) {
    return [
      {
        severity: 'error',
        code: 'stage-branch',
        file: settings.file,
        line,
        message: `invalid branchPattern: looks like a branch of the remote "${first}"`,
        hint: 'use a pattern such as stage-{id} or feature/stage-{id}',
      },
    ];
  }
  const pattern = line === undefined ? '' : ` (branchPattern "${settings.branchPattern}" at ${settings.file}:${line})`;
  const base = context.base ?? settings.baseBranch;
  const problems: Problem[] = [];
  for (const stage of plan.stages) {
    const branch = stageBranch(settings, stage.id);
    const reason = invalidRefReason(branch) ?? unsafeBranchReason(branch, { base, remotes: context.remotes });
    if (!reason) continue;
    problems.push({
      severity: 'error',
      code: 'stage-branch',
      file: stage.file,
      line: stage.lines.id,
      stages: [stage.id],
      message: `stage ${stage.id}'s branch "${branch}" ${reason}${pattern}`,
      hint,
    });
  }
  return problems;
}
