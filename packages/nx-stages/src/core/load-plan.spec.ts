import { loadPlan } from './load-plan';
import { memorySource } from './test-support/plan-data';

const stageYaml = (id: string, extra = '') => `id: "${id}"\nname: Stage ${id}\nduration: 1w\n${extra}`;

describe('loadPlan', () => {
  it('reads the settings and every stage folder, in natural id order', () => {
    const plan = loadPlan(
      memorySource({
        'stages/stages.yaml': 'teamSize: 2\n',
        'stages/9.10-ten/stage.yaml': stageYaml('9.10'),
        'stages/9.2-two/stage.yaml': stageYaml('9.2'),
        'stages/notes/readme.md': 'not a stage',
      }),
      'stages',
    );
    expect(plan.problems).toEqual([]);
    expect(plan.settings.teamSize).toBe(2);
    expect(plan.stages.map((stage) => [stage.id, stage.folder])).toEqual([
      ['9.2', 'stages/9.2-two'],
      ['9.10', 'stages/9.10-ten'],
    ]);
  });

  it('leaves a broken stage out, says where, and keeps the rest', () => {
    const plan = loadPlan(
      memorySource({
        'stages/stages.yaml': '',
        'stages/a/stage.yaml': stageYaml('a'),
        'stages/b/stage.yaml': 'id: b\nname: [oops\n',
      }),
      'stages',
    );
    expect(plan.stages.map((stage) => stage.id)).toEqual(['a']);
    expect(plan.problems.map((problem) => [problem.code, problem.file])).toEqual([
      ['yaml', 'stages/b/stage.yaml'],
      ['stage-left-out', 'stages/b/stage.yaml'],
    ]);
  });

  it('keeps the first of two stages with the same id and reports the second', () => {
    const plan = loadPlan(
      memorySource({
        'stages/stages.yaml': '',
        'stages/1-first/stage.yaml': stageYaml('1'),
        'stages/1-second/stage.yaml': stageYaml('1'),
      }),
      'stages',
    );
    expect(plan.stages.map((stage) => stage.folder)).toEqual(['stages/1-first']);
    expect(plan.problems[0]).toMatchObject({ code: 'duplicate-id', file: 'stages/1-second/stage.yaml', line: 1 });
    expect(plan.problems[0].message).toContain('stages/1-first/stage.yaml');
  });

  it('says how to create a missing plan file', () => {
    const plan = loadPlan(memorySource({}), 'stages');
    expect(plan.problems[0]).toMatchObject({ code: 'no-plan', file: 'stages/stages.yaml', hint: expect.stringContaining('nx g nx-stages:init') });
  });

  it('supports a plan at the workspace root', () => {
    const plan = loadPlan(memorySource({ 'stages.yaml': '', 'a/stage.yaml': stageYaml('a') }), '.');
    expect(plan.settings.file).toBe('stages.yaml');
    expect(plan.stages[0].file).toBe('a/stage.yaml');
  });
});
