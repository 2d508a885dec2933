/**
 * `.env.local` of a stage worktree: who this worktree is and which port it may use. Values are
 * quoted so a name with spaces, `#` or `$` is read back literally by dotenv-style loaders.
 */
export interface StageEnvironment {
  id: string;
  name: string;
  branch: string;
  port: number;
}

export function renderEnvLocal(environment: StageEnvironment): string {
  return [
    '# Written by nx-stages for this stage worktree; not committed (.env.local is ignored).',
    `STAGE_ID=${quote(environment.id)}`,
    `STAGE_NAME=${quote(environment.name)}`,
    `STAGE_BRANCH=${quote(environment.branch)}`,
    `PORT=${environment.port}`,
    '',
  ].join('\n');
}

/** The port recorded in an `.env.local`, if any. */
export function portOf(text: string): number | undefined {
  const match = /^PORT=["']?(\d+)["']?\s*$/m.exec(text);
  return match ? Number(match[1]) : undefined;
}

function quote(value: string): string {
  // Single quotes: dotenv loaders take the content literally (no $ expansion, no escapes).
  return value.includes("'") ? `"${value.replace(/["\\$`]/g, '\\$&')}"` : `'${value}'`;
}
