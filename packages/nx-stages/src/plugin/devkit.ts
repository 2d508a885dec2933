import type * as Devkit from '@nx/devkit';

let devkit: typeof Devkit | undefined;

/**
 * `@nx/devkit`, loaded on first use. Importing it loads its generator helpers, semver and Nx's task
 * runner (~250 ms of a 1000-stage `nx show projects` on a busy 2-core machine), and Nx loads the
 * plugin on every command, where the graph needs none of it: only rare paths (warnings, a failing
 * plan file, the gates' task hook) reach for it.
 */
export function nxDevkit(): typeof Devkit {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (devkit ??= require('@nx/devkit') as typeof Devkit);
}
