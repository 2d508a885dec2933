import { chmodSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { makeTempDir } from '../../git/test-support/temp-repo';

/**
 * Puts package managers that only record how they were called in front of PATH, for install mode
 * without the network: `npm`, `pnpm`, `yarn` and `bun` write `<name> <args>` and the folder they ran
 * in to node_modules/.fake-install there. `fail`: they print to stderr and exit 3.
 * Returns the function that puts PATH back.
 */
export function useFakePackageManagers(behaviour: 'record' | 'fail' = 'record'): () => void {
  const bin = makeTempDir();
  for (const name of ['npm', 'pnpm', 'yarn', 'bun']) {
    const script =
      behaviour === 'fail'
        ? '#!/bin/sh\necho "fake: no network" >&2\nexit 3\n'
        : `#!/bin/sh\nmkdir -p node_modules\necho "${name} $*" > node_modules/.fake-install\npwd >> node_modules/.fake-install\n`;
    writeFileSync(join(bin, name), script);
    chmodSync(join(bin, name), 0o755);
  }
  const saved = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${saved ?? ''}`;
  return () => {
    process.env.PATH = saved;
  };
}
