export interface WorktreeGeneratorSchema {
  id: string;
  /** Branch to start from (default: baseBranch of stages.yaml, else detected from git). */
  base?: string;
  /** Build on the branches of dependencies that are not merged yet. */
  stack?: boolean;
  /** How the worktree gets its dependencies (default: dependencies of stages.yaml, else link). */
  dependencies?: 'link' | 'install' | 'none';
  /** Publish the new branch with upstream (default: push of stages.yaml). */
  push?: boolean;
  plan?: string;
}
