/**
 * Which package manager a checkout uses, and how to install with it. Pure: the caller reads the
 * files (io/package-manager.ts does it for a checkout on disk).
 */

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface PackageManagerInfo {
  manager: PackageManagerName;
  /** Its version when the checkout pins one (package.json `packageManager`, Yarn's `yarnPath`), e.g. "4.5.0". */
  version?: string;
  /** Yarn 2 or later ("berry": `yarn npm audit`, `--immutable`); false for Yarn 1 and every other manager. */
  berry: boolean;
}

/** What the checkout's root holds, as far as telling its package manager goes. Contents are optional. */
export interface PackageManagerFiles {
  /** Names at the checkout's root (a directory listing). */
  rootFiles: readonly string[];
  /** The text of package.json, when read. */
  packageJson?: string;
  /** The text of .yarnrc.yml, when read (only Yarn 2+ reads that file). */
  yarnrc?: string;
  /** The first lines of yarn.lock, when read: Yarn 1 writes "# yarn lockfile v1", Yarn 2+ a `__metadata:` block. */
  yarnLock?: string;
}

export interface InstallCommand {
  manager: PackageManagerName;
  command: string;
  args: string[];
}

/** Lock files in the order they decide (a checkout with two is judged by the first). */
const LOCK_FILE_MANAGERS: Array<[string, PackageManagerName]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** Every lock file a JavaScript package manager writes: what a measurement's dependencies are bound to. */
export const LOCK_FILES: readonly string[] = LOCK_FILE_MANAGERS.map(([file]) => file);

/**
 * The package manager of a checkout: its lock file decides (npm when there is none, unless
 * package.json's `packageManager` names another). The version comes from `packageManager` when it
 * names the same manager, for Yarn from `.yarnrc.yml`'s `yarnPath` first (Yarn runs that release
 * even under corepack). Yarn 2+ is told from Yarn 1 by that version, else by yarn.lock's format,
 * else by `.yarnrc.yml` being there; with no sign at all it is Yarn 1.
 */
export function packageManagerFrom(files: PackageManagerFiles): PackageManagerInfo {
  const present = new Set(files.rootFiles);
  const pinned = packageManagerField(files.packageJson);
  const manager = LOCK_FILE_MANAGERS.find(([lockFile]) => present.has(lockFile))?.[1] ?? pinned?.manager ?? 'npm';
  const version = (manager === 'yarn' ? yarnPathVersion(files.yarnrc) : undefined) ?? (pinned?.manager === manager ? pinned.version : undefined);
  if (manager !== 'yarn') return { manager, ...(version ? { version } : {}), berry: false };
  const major = version ? Number(/^(\d+)/.exec(version)?.[1]) : NaN;
  const lockFormat = files.yarnLock === undefined ? undefined : /^__metadata:/m.test(files.yarnLock) ? 'berry' : /yarn lockfile v1/.test(files.yarnLock) ? 'classic' : undefined;
  const berry = Number.isFinite(major) ? major >= 2 : lockFormat ? lockFormat === 'berry' : present.has('.yarnrc.yml');
  return { manager, ...(version ? { version } : {}), berry };
}

/** package.json's `packageManager` ("yarn@4.5.0+sha512.…"), or undefined when absent or unreadable. */
function packageManagerField(packageJson: string | undefined): { manager: PackageManagerName; version: string } | undefined {
  let field: unknown;
  try {
    field = (JSON.parse(packageJson ?? '{}') as { packageManager?: unknown } | null)?.packageManager;
  } catch {
    return undefined;
  }
  const match = typeof field === 'string' ? /^(npm|pnpm|yarn|bun)@([^+\s]+)/.exec(field.trim()) : null;
  return match ? { manager: match[1] as PackageManagerName, version: match[2] } : undefined;
}

/** The release `.yarnrc.yml` runs (`yarnPath: .yarn/releases/yarn-3.6.4.cjs` → "3.6.4"), if it names one. */
function yarnPathVersion(yarnrc: string | undefined): string | undefined {
  const path = /^\s*yarnPath\s*:\s*["']?([^"'\n#]+?)["']?\s*(?:#.*)?$/m.exec(yarnrc ?? '')?.[1];
  return path ? /yarn-(\d+\.\d+\.\d+[^/]*?)\.c?js$/.exec(path)?.[1] : undefined;
}

/**
 * The install command for a checkout: from what `packageManagerFrom` found (readPackageManager in
 * io/ reads what it needs), or from the names at its root alone (then Yarn 2+ is recognised by
 * `.yarnrc.yml` only). Never rewrites the lock file.
 */
export function installCommand(source: readonly string[] | PackageManagerInfo): InstallCommand {
  const pm = isNameList(source) ? packageManagerFrom({ rootFiles: source }) : source;
  switch (pm.manager) {
    case 'pnpm':
      return { manager: 'pnpm', command: 'pnpm', args: ['install', '--frozen-lockfile'] };
    case 'yarn':
      // Neither takes the other's flag: Yarn 1 ignores --immutable and rewrites the lock file,
      // Yarn 4 refuses --frozen-lockfile (YN0050). Undecided is Yarn 1 (see packageManagerFrom):
      // wrong for Yarn 2+ it fails loudly, never installs unfrozen.
      return { manager: 'yarn', command: 'yarn', args: ['install', pm.berry ? '--immutable' : '--frozen-lockfile'] };
    case 'bun':
      return { manager: 'bun', command: 'bun', args: ['install', '--frozen-lockfile'] };
    default:
      // `npm ci` insists the lock file lists every platform's optional binaries; `npm install` does not.
      return { manager: 'npm', command: 'npm', args: ['install', '--no-audit', '--no-fund'] };
  }
}

function isNameList(source: readonly string[] | PackageManagerInfo): source is readonly string[] {
  return Array.isArray(source);
}
