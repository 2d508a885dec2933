import { planSummary } from './plan-summary';
import { renderPlanMarkdown } from './render-plan';
import { renderValidation } from './render-validation';
import { validatePlan } from './validate';
import { dashboardExample, planOf, stage } from './test-support/plan-data';

describe('renderPlanMarkdown', () => {
  const markdown = renderPlanMarkdown(planOf(dashboardExample()));

  it('draws the dependency graph in Mermaid, grouped, with the critical path marked', () => {
    expect(markdown).toContain('```mermaid\nflowchart LR');
    expect(markdown).toContain('subgraph group_A["Group A"]');
    expect(markdown).toContain('s_9_1["9.1 Dashboard UI Components<br/>2w"]');
    expect(markdown).toContain('s_9_1 --> s_9_4');
    expect(markdown).toContain('class s_9_1,s_9_4 critical');
  });

  it('writes the whole PLAN.md of the method example (golden)', () => {
    expect(markdown).toMatchSnapshot();
  });

  it('gets the method example right: 3.5 weeks, not the 3 its authors wrote', () => {
    expect(markdown).toContain('| Sequential (one stage after another) | 32.5d (6.5w) |');
    expect(markdown).toContain('| Parallel (unlimited people) | 17.5d (3.5w) |');
    expect(markdown).toContain('| Saved by parallel work | 15d (3w), 46 % |');
    expect(markdown).toContain('9.1 → 9.4: 17.5d (3.5w)');
    expect(markdown).toContain('| 9.4 | Analytics & Reporting | B | 1.5w | 9.1 | day 10 | day 17.5 | 0d | yes |');
    expect(markdown).toContain('| 9.2 | Data Visualization Library | A | 1w | — | day 0 | day 5 | 12.5d |  |');
  });

  it('schedules a limited team and shows who does what', () => {
    const team = renderPlanMarkdown(planOf(dashboardExample()), { teamSize: 1 });
    expect(team).toContain('## Schedule (team of 1)');
    expect(team).toContain('| Parallel (team of 1) | 32.5d (6.5w) |');
    expect(team).toContain('| #1 |');
  });

  it('takes the team size from the plan settings', () => {
    expect(renderPlanMarkdown(planOf(dashboardExample(), { teamSize: 2 }))).toContain('team of 2');
  });

  it('escapes names that would break Mermaid or tables', () => {
    const text = renderPlanMarkdown(planOf([stage('x', { name: 'Say "hi" <script> | pipe' })]));
    expect(text).toContain('x Say #quot;hi#quot; #lt;script#gt; | pipe');
    expect(text).toContain('Say "hi" <script> \\| pipe');
  });

  it('is deterministic', () => {
    expect(renderPlanMarkdown(planOf(dashboardExample()))).toBe(markdown);
  });
});

describe('planSummary', () => {
  it('prints groups, critical path and totals', () => {
    expect(planSummary(planOf(dashboardExample()), { teamSize: 2 })).toEqual([
      'Group A: 9.1, 9.2, 9.3',
      'Group B: 9.4',
      'Critical path: 9.1 → 9.4',
      'Sequential 32.5d (6.5w) · parallel 17.5d (3.5w) · saves 15d (3w), 46 %',
      'With a team of 2: 17.5d (3.5w) · saves 15d (3w), 46 %',
    ]);
  });
});

describe('renderValidation', () => {
  it('marks passed, warned and failed checks', () => {
    const lines = renderValidation(validatePlan(planOf([stage('a', { dependsOn: ['b'], value: undefined })])));
    expect(lines[0]).toBe('✔ plan and stage files are well-formed');
    expect(lines[1]).toBe('✖ every dependency names a stage');
    expect(lines).toContain('⚠ every stage states the value it delivers');
    expect(lines[lines.length - 1]).toBe('stages/stages.yaml: 1 stage, invalid — 1 error, 1 warning');
  });
});
