import { createRepo, useTempRepos } from '../git/test-support/temp-repo';
import { resolveBase } from './resolve-base';

describe('resolveBase on a real repository', () => {
  useTempRepos();
  const settings = (baseBranch?: string) => ({ baseBranch, file: 'stages/stages.yaml' });

  it('prefers the option, then the plan setting, then detection', async () => {
    const root = createRepo();
    expect(await resolveBase(root, settings())).toEqual({ ok: true, value: 'main' });
    expect(await resolveBase(root, settings('main'))).toEqual({ ok: true, value: 'main' });
    expect(await resolveBase(root, settings('nope'), 'main')).toEqual({ ok: true, value: 'main' });
  });

  it('names where a base that does not exist came from', async () => {
    const root = createRepo();
    expect(await resolveBase(root, settings('mian'))).toMatchObject({ ok: false, message: 'The base branch "mian" (from baseBranch in stages/stages.yaml) does not exist' });
    expect(await resolveBase(root, settings(), 'dev')).toMatchObject({ ok: false, message: expect.stringContaining('(from --base)') });
  });
});
