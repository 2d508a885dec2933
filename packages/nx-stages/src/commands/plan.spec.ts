import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { failureText } from '../core/outcome';
import { createRepo, git, useTempRepos } from '../git/test-support/temp-repo';
import { commitPlan } from './test-support/plan-on-disk';
import { writePlanCommand } from './plan';

describe('writePlanCommand on a plan on disk', () => {
  useTempRepos();

  it('writes PLAN.md once, then says it is unchanged; the summary is the text', () => {
    const root = createRepo();
    commitPlan(root, '', { '1': '', '2': 'dependsOn: ["1"]\n' });
    const first = writePlanCommand(root, 'stages', {});
    expect(first).toMatchObject({ ok: true, data: { file: 'stages/PLAN.md', written: true, errors: 0 } });
    expect(first.text).toMatchSnapshot();
    const again = writePlanCommand(root, 'stages', {});
    expect(again).toMatchObject({ ok: true, data: { written: false } });
    expect(again.text.split('\n').pop()).toBe('Unchanged stages/PLAN.md');
  });

  it('refuses a team size that is not a whole number of people, writing nothing', () => {
    const root = createRepo();
    commitPlan(root, '', { '1': '' });
    const result = writePlanCommand(root, 'stages', { teamSize: 1.5 });
    expect(result).toMatchObject({ ok: false, text: '', failure: { kind: 'invalid-input' } });
    expect(failureText(result.failure!)).toMatchInlineSnapshot(`"--teamSize must be a whole number of people, at least 1 (got 1.5)."`);
    expect(git(root, ['status', '--porcelain'])).toBe('');
  });

  it('refuses to schedule a cycle, naming each stage file and line, and leaves PLAN.md as it was', () => {
    const root = createRepo();
    commitPlan(root, '', { '1': 'dependsOn: ["2"]\n', '2': 'dependsOn: ["1"]\n' });
    writeFileSync(join(root, 'stages/PLAN.md'), 'the old plan\n');
    const result = writePlanCommand(root, 'stages', {});
    expect(result).toMatchObject({ ok: false, text: '', failure: { kind: 'invalid-input' } });
    expect(failureText(result.failure!)).toMatchSnapshot();
    expect(readFileSync(join(root, 'stages/PLAN.md'), 'utf8')).toBe('the old plan\n');
  });

  it("refuses settings with an error with validate's line", () => {
    const root = createRepo();
    commitPlan(root, 'name: stages\nbranchPattern: "refs/heads/{id}"\n', { '1': '' });
    const result = writePlanCommand(root, 'stages', {});
    expect(result).toMatchObject({ ok: false, failure: { kind: 'invalid-input', message: expect.stringContaining('stages/stages.yaml:2: error: invalid branchPattern') } });
    expect(git(root, ['status', '--porcelain'])).toBe('');
  });
});
