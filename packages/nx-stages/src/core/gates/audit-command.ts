import type { PackageManagerInfo } from '../package-manager';

export { packageManagerFrom, type PackageManagerFiles, type PackageManagerInfo, type PackageManagerName } from '../package-manager';

/** A program and its arguments (run without a shell), and the same as people read it. */
export interface AuditCommand {
  command: string;
  args: string[];
  /** `yarn npm audit --all --recursive --json`: for report headers and "… said:" messages. */
  display: string;
}

/**
 * The dependency audit of a checkout's package manager, as JSON, over every workspace:
 * - npm, pnpm, Yarn 1: `<manager> audit --json` (run at the root they read the whole lock file).
 * - Yarn 2+: there is no `yarn audit`; `yarn npm audit --all --recursive --json` covers every
 *   workspace (`--all`) and transitive dependencies too (`--recursive`; without it only direct
 *   ones). Yarn 4 also reports deprecated packages as advisories unless `--no-deprecations`,
 *   which Yarn 2 and 3 refuse as an unknown option: it is passed only when the version is known
 *   to be 4 or later (judgeAudit drops deprecations either way).
 * - bun: `bun audit --json` (prints the registry's answer as it came).
 */
export function auditCommand(pm: PackageManagerInfo): AuditCommand {
  const of = (command: string, ...args: string[]): AuditCommand => ({ command, args, display: [command, ...args].join(' ') });
  switch (pm.manager) {
    case 'yarn': {
      if (!pm.berry) return of('yarn', 'audit', '--json');
      const major = Number(/^(\d+)/.exec(pm.version ?? '')?.[1]);
      return major >= 4 ? of('yarn', 'npm', 'audit', '--all', '--recursive', '--json', '--no-deprecations') : of('yarn', 'npm', 'audit', '--all', '--recursive', '--json');
    }
    case 'pnpm':
      return of('pnpm', 'audit', '--json');
    case 'bun':
      return of('bun', 'audit', '--json');
    default:
      return of('npm', 'audit', '--json');
  }
}
