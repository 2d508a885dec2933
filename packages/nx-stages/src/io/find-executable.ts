import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Folders a gate process looks programs up in: the checkout's own `node_modules/.bin` first, then
 * PATH — the same order the gates give their processes.
 */
export function gateSearchPath(checkout: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const pathKey = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
  return [join(checkout, 'node_modules', '.bin'), ...(env[pathKey] ?? '').split(delimiter)].filter(Boolean);
}

/** Whether `program` is an executable file in one of `folders` (what a shell's lookup would find, without a shell). */
export function findExecutable(program: string, folders: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  // Windows finds `npm.cmd` for `npm`; elsewhere the name is the file.
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const folder of folders) {
    for (const extension of extensions) {
      const candidate = join(folder, program + extension);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not there, or not executable: keep looking.
      }
    }
  }
  return undefined;
}
