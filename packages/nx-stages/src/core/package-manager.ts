/** Which package manager a checkout uses, judged by its lock file, and how to install with it. */
export interface InstallCommand {
  manager: 'npm' | 'pnpm' | 'yarn' | 'bun';
  command: string;
  args: string[];
}

const BY_LOCK_FILE: Array<[string, InstallCommand]> = [
  ['pnpm-lock.yaml', { manager: 'pnpm', command: 'pnpm', args: ['install', '--frozen-lockfile'] }],
  ['yarn.lock', { manager: 'yarn', command: 'yarn', args: ['install', '--immutable'] }],
  ['bun.lock', { manager: 'bun', command: 'bun', args: ['install', '--frozen-lockfile'] }],
  ['bun.lockb', { manager: 'bun', command: 'bun', args: ['install', '--frozen-lockfile'] }],
  // `npm ci` insists the lock file lists every platform's optional binaries; `npm install` does not.
  ['package-lock.json', { manager: 'npm', command: 'npm', args: ['install', '--no-audit', '--no-fund'] }],
];

/** The install command for a checkout holding `files` at its root; npm when there is no lock file. */
export function installCommand(files: readonly string[]): InstallCommand {
  const present = new Set(files);
  return BY_LOCK_FILE.find(([lockFile]) => present.has(lockFile))?.[1] ?? BY_LOCK_FILE[BY_LOCK_FILE.length - 1][1];
}
