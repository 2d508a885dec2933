import { planMergeQueue, renderMergeQueue } from './merge-queue';
import { dashboardExample, stage } from './test-support/plan-data';

const ids = (...values: string[]) => new Set(values);

describe('planMergeQueue', () => {
  it('takes every started, unmerged stage in merge order, a dependency before the stage that needs it', () => {
    const stages = dashboardExample();
    expect(planMergeQueue(stages, { merged: ids(), started: ids('9.4', '9.3', '9.1', '9.2') })).toEqual({ queue: ['9.1', '9.2', '9.3', '9.4'], waiting: [] });
  });

  it('leaves merged and not-started stages out', () => {
    expect(planMergeQueue(dashboardExample(), { merged: ids('9.1'), started: ids('9.1', '9.3', '9.4') })).toEqual({ queue: ['9.3', '9.4'], waiting: [] });
  });

  it('keeps a stage waiting when its dependency is neither merged nor queued before it', () => {
    expect(planMergeQueue(dashboardExample(), { merged: ids(), started: ids('9.2', '9.4') })).toEqual({ queue: ['9.2'], waiting: [{ id: '9.4', on: ['9.1'] }] });
  });

  it('keeps to the stages asked for, and waits on a dependency left out', () => {
    const stages = dashboardExample();
    const started = ids('9.1', '9.2', '9.3', '9.4');
    expect(planMergeQueue(stages, { merged: ids(), started }, ids('9.3', '9.2'))).toEqual({ queue: ['9.2', '9.3'], waiting: [] });
    expect(planMergeQueue(stages, { merged: ids(), started }, ids('9.4'))).toEqual({ queue: [], waiting: [{ id: '9.4', on: ['9.1'] }] });
  });

  it('merges P0 before P1 inside a group', () => {
    const stages = [stage('a', { priority: 'P2' }), stage('b', { priority: 'P0' }), stage('c')];
    expect(planMergeQueue(stages, { merged: ids(), started: ids('a', 'b', 'c') }).queue).toEqual(['b', 'c', 'a']);
  });
});

describe('renderMergeQueue', () => {
  it('prints the queue and who waits', () => {
    const plan = { stages: dashboardExample() };
    expect(renderMergeQueue(plan, { queue: ['9.2', '9.3'], waiting: [{ id: '9.4', on: ['9.1'] }] }, 'main')).toMatchInlineSnapshot(`
[
  "Merge queue into main, one at a time in the plan's merge order:",
  "  1. 9.2  Data Visualization Library",
  "  2. 9.3  Real-Time WebSocket API",
  "  waits: 9.4 (needs 9.1 merged first)",
]
`);
    expect(renderMergeQueue(plan, { queue: [], waiting: [] }, 'main')).toEqual(['Merge queue into main: no stage to merge.']);
  });
});
