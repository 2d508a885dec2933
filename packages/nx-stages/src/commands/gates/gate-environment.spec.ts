import { delimiter, join } from 'node:path';
import { gateEnvironment, innerParallelism } from './gate-environment';

describe('the environment of gate processes', () => {
  it("drops the variables Nx set for the outer task, keeps the user's own, and puts the checkout's tools first", () => {
    const env = gateEnvironment(
      '/wt',
      2,
      { id: '9.1', name: '$(touch pwned)', base: 'abc' },
      {
        PATH: '/usr/bin',
        NX_TASK_TARGET_PROJECT: 'stage-9.1',
        NX_WORKSPACE_ROOT_PATH: '/main',
        NX_PARALLEL: '8',
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        HOME: '/home/me',
      },
    );
    expect(env).toMatchObject({
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      HOME: '/home/me',
      NX_PARALLEL: '2',
      NX_STAGES_ID: '9.1',
      NX_STAGES_NAME: '$(touch pwned)',
      NX_STAGES_BASE: 'abc',
    });
    expect(env.NX_TASK_TARGET_PROJECT).toBeUndefined();
    expect(env.NX_WORKSPACE_ROOT_PATH).toBeUndefined();
    expect(env.PATH).toBe([join('/wt', 'node_modules', '.bin'), '/usr/bin'].join(delimiter));
  });

  it('splits the cores between the gates that run at once, never below one', () => {
    expect(innerParallelism(8, 3)).toBe(2);
    expect(innerParallelism(2, 3)).toBe(1);
    expect(innerParallelism(4, 0)).toBe(4);
  });
});
