import { dashboardExample, planOf, stage } from '../core/test-support/plan-data';
import { planProjects } from './plan-nodes';

describe('planProjects', () => {
  it('gives the plan project and one project per stage, with tags', () => {
    const stages = dashboardExample();
    stages[0].assignee = 'alice';
    const projects = planProjects(planOf(stages));
    expect(Object.keys(projects)).toEqual(['stages', 'stages/9.1', 'stages/9.2', 'stages/9.3', 'stages/9.4']);
    expect(projects['stages']).toMatchObject({ name: 'stages', tags: ['stages-plan'] });
    expect(Object.keys(projects['stages'].targets!)).toEqual(['validate', 'plan', 'clean', 'conflicts', 'merge', 'status', 'doctor']);
    expect(projects['stages'].targets!.validate.metadata?.description).toContain('Checks the plan');
    expect(projects['stages'].targets!.doctor).toMatchObject({ executor: 'nx-stages:doctor', cache: false });
    expect(projects['stages/9.1']).toMatchObject({
      name: 'stage-9.1',
      root: 'stages/9.1',
      tags: ['stage', 'stage-priority:P0', 'stage-group:A', 'stage-assignee:alice'],
    });
    expect(projects['stages/9.4'].tags).toContain('stage-group:B');
    expect(projects['stages/9.4'].targets?.sync).toMatchObject({ executor: 'nx-stages:sync', cache: false });
    expect(Object.keys(projects['stages/9.4'].targets ?? {})).toEqual(['gates', 'proof', 'verify', 'merge', 'sync', 'serve']);
    // A dev server runs until stopped: continuous, never cached (Nx refuses a cached continuous target).
    expect(projects['stages/9.4'].targets?.serve).toMatchObject({ executor: 'nx-stages:serve', continuous: true, cache: false });
    // Merges follow the dependencies, one at a time: what makes `nx run-many -t merge` ordered.
    expect(projects['stages/9.4'].targets?.merge).toMatchObject({ executor: 'nx-stages:merge', dependsOn: ['^merge'], parallelism: false, cache: false });
    expect(projects['stages/9.4'].metadata?.description).toBe('Stage 9.4: Analytics & Reporting');
  });

  it('uses the plan name from the settings and leaves stages on a cycle without a group', () => {
    const projects = planProjects(planOf([stage('a', { dependsOn: ['b'] }), stage('b', { dependsOn: ['a'] })], { name: 'q3' }));
    expect(projects['stages'].name).toBe('q3');
    expect(projects['stages/a'].tags).toEqual(['stage', 'stage-priority:P1']);
  });
});
