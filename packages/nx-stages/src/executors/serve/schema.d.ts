export interface ServeExecutorSchema {
  /** Instead of PORT in the stage worktree's `.env.local`. */
  port?: number;
}
