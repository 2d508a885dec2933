// A team on a shared remote, for the git/ specs: a bare repository and clones of it, each with
// its own identity, and a forge that changes the remote's base as a pull request merge would.
import { join } from 'node:path';
import { createRepo, git, makeTempDir } from './temp-repo';

/** A bare repository (of `from`, else of one commit on main), and a way to clone it as a teammate. */
export function teamRemote(from?: string): { bare: string; clone: (who: string) => string } {
  const first = from ?? createRepo();
  const bare = join(makeTempDir(), 'remote.git');
  git(first, ['clone', '--quiet', '--bare', first, bare]);
  const clone = (who: string) => {
    const dir = join(makeTempDir(), who);
    git(makeTempDir(), ['clone', '--quiet', bare, dir]);
    git(dir, ['config', 'user.name', who]);
    git(dir, ['config', 'user.email', `${who}@example.com`]);
    git(dir, ['config', 'commit.gpgSign', 'false']);
    return dir;
  };
  return { bare, clone };
}

/** What a forge does to main on the remote: `act` runs in a fresh clone, then main is pushed. */
export function onTheForge(bare: string, act: (dir: string) => void): void {
  const forge = join(makeTempDir(), 'forge');
  git(makeTempDir(), ['clone', '--quiet', bare, forge]);
  git(forge, ['config', 'user.name', 'Forge']);
  git(forge, ['config', 'user.email', 'forge@example.com']);
  git(forge, ['config', 'commit.gpgSign', 'false']);
  act(forge);
  git(forge, ['push', '--quiet', 'origin', 'main']);
}
