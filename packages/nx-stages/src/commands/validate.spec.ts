import { createRepo, git, useTempRepos } from '../git/test-support/temp-repo';
import { commitPlan } from './test-support/plan-on-disk';
import { validateCommand } from './validate';

describe('validateCommand on a real repository: stage branches that cannot hurt', () => {
  useTempRepos();
  const validate = async (root: string) => validateCommand(root, 'stages');

  it('refuses a pattern that makes a stage branch the base branch, naming the stage file and line', async () => {
    const root = createRepo();
    commitPlan(root, 'branchPattern: "{id}"\n', { main: '', '1': '' });
    const result = await validate(root);
    expect(result).toMatchObject({ ok: false, data: { planFile: 'stages/stages.yaml', stageCount: 2, errors: 1 } });
    // The checklist is the report and names the file and line; the failure is its one line for scripts.
    expect(result.text).toMatchSnapshot();
    expect(result.failure).toMatchInlineSnapshot(`
      {
        "hint": "Each error names its file and line.",
        "kind": "failed",
        "message": "The plan stages/stages.yaml has 1 error",
      }
    `);
  });

  it('refuses a stage whose branch would be HEAD', async () => {
    const root = createRepo();
    commitPlan(root, 'branchPattern: "{id}"\n', { HEAD: '' });
    const result = await validate(root);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'failed' } });
    expect(result.text).toContain('stages/HEAD/stage.yaml:1: error: stage HEAD\'s branch "HEAD"');
  });

  it.each([
    ['refs/tags/{id}', 'must not start with "refs/"'],
    ['refs/heads/{id}', 'must not start with "refs/"'],
    ['origin/{id}', 'looks like a branch of the remote "origin"'],
    ['remotes/origin/{id}', 'looks like a branch of the remote "remotes"'],
  ])('refuses branchPattern %s in stages.yaml with its line', async (pattern, reason) => {
    const root = createRepo();
    commitPlan(root, `name: stages\nbranchPattern: "${pattern}"\n`, { '1': '' });
    const result = await validate(root);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'failed' } });
    expect(result.text).toContain(`stages/stages.yaml:2: error: invalid branchPattern: ${reason}`);
  });

  it('refuses a pattern starting with the name of a configured remote', async () => {
    const root = createRepo();
    git(root, ['remote', 'add', 'upstream', 'https://example.invalid/repo.git']);
    commitPlan(root, 'branchPattern: "upstream/{id}"\n', { '1': '' });
    const result = await validate(root);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'failed' } });
    expect(result.text).toContain('stages/stages.yaml:1: error: invalid branchPattern: looks like a branch of the remote "upstream"');
  });

  it('accepts the default and nested patterns', async () => {
    const root = createRepo();
    git(root, ['remote', 'add', 'upstream', 'https://example.invalid/repo.git']);
    commitPlan(root, 'branchPattern: "feature/stage-{id}"\n', { '1': '' });
    expect(await validate(root)).toMatchObject({ ok: true, data: { errors: 0 } });
  });
});
