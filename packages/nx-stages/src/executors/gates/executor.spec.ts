import type { ExecutorContext } from '@nx/devkit';
import { gatesConcurrency } from './executor';

/** The parts of Nx's executor context the split reads: its task graph and nx.json. */
function contextOf(stages: string[], nxJsonParallel?: number, project = stages[0]): ExecutorContext {
  const tasks = Object.fromEntries(stages.map((id) => [`stage-${id}:gates`, { id: `stage-${id}:gates`, target: { project: `stage-${id}`, target: 'gates' } }]));
  return {
    projectName: `stage-${project}`,
    targetName: 'gates',
    taskGraph: { tasks },
    nxJsonConfiguration: nxJsonParallel ? { parallel: nxJsonParallel } : {},
  } as unknown as ExecutorContext;
}

describe('how many stages run their gates at once', () => {
  const saved = process.env.NX_PARALLEL;
  beforeEach(() => delete process.env.NX_PARALLEL);
  afterAll(() => (saved === undefined ? delete process.env.NX_PARALLEL : (process.env.NX_PARALLEL = saved)));

  it('one stage alone: its --parallel is for its own inner Nx', () => {
    expect(gatesConcurrency({ parallel: 2 }, contextOf(['1']))).toEqual({ stages: 1, tasks: 1 });
  });

  it('run-many: the CLI --parallel wins over nx.json, capped by the gates tasks', () => {
    expect(gatesConcurrency({ parallel: 3 }, contextOf(['1', '2'], 1))).toMatchObject({ stages: 2, tasks: 2, notice: undefined });
    expect(gatesConcurrency({}, contextOf(['1', '2', '3', '4']))).toMatchObject({ stages: 3 }); // Nx's default 3
  });

  it('nx.json "parallel": 1 makes them wait: the first stage says so once, with the fix', () => {
    expect(gatesConcurrency({}, contextOf(['1', '2', '3'], 1, '1'))).toMatchObject({
      stages: 1,
      notice: expect.stringContaining('nx run-many -t gates --parallel=3'),
    });
    expect(gatesConcurrency({}, contextOf(['1', '2', '3'], 1, '2')).notice).toBeUndefined();
  });
});
