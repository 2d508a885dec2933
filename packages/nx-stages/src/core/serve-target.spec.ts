import { chooseServeTarget, portPassing, serveArgs, validPort, type ProjectShape, type TargetShape } from './serve-target';
import { stage } from './test-support/plan-data';

// Targets as `nx graph --file` writes them: inferred ones are nx:run-commands with the command in options.
const VITE_INFERRED: TargetShape = { executor: 'nx:run-commands', options: { command: 'vite serve', cwd: 'apps/cart' } };
const NODE_SCRIPT: TargetShape = { executor: 'nx:run-commands', options: { command: 'node server.js', cwd: 'apps/shop' } };

const cart: ProjectShape = { name: 'cart', root: 'apps/cart', targets: { serve: VITE_INFERRED, build: { executor: 'nx:run-commands' } } };
const shop: ProjectShape = { name: 'shop', root: 'apps/shop', targets: { serve: NODE_SCRIPT } };
const ui: ProjectShape = { name: 'ui', root: 'libs/ui', targets: { build: { executor: 'nx:run-commands' } } };
const workspaceRoot: ProjectShape = { name: 'workspace', root: '.', targets: { serve: NODE_SCRIPT } };

describe('chooseServeTarget', () => {
  it('takes the one app among the stage files that has a serve target', () => {
    const choice = chooseServeTarget(stage('3', { files: ['apps/cart/src/**', 'libs/ui/**'] }), [cart, shop, ui]);
    expect(choice).toMatchObject({ ok: true, project: 'cart', target: 'serve', chosenBy: 'files', config: VITE_INFERRED });
  });

  it('counts a root project only when no other app matches', () => {
    expect(chooseServeTarget(stage('3', { files: ['apps/cart/**'] }), [workspaceRoot, cart])).toMatchObject({ ok: true, project: 'cart' });
    expect(chooseServeTarget(stage('3', { files: ['src/**'] }), [workspaceRoot, cart])).toMatchObject({ ok: true, project: 'workspace' });
  });

  it('refuses several apps and says to write serve: in stage.yaml', () => {
    const choice = chooseServeTarget(stage('3', { files: ['apps/**'], file: 'stages/3/stage.yaml' }), [shop, cart]);
    expect(choice).toMatchObject({ ok: false, kind: 'invalid-input' });
    expect(choice.ok ? '' : `${choice.message}. ${choice.hint}`).toMatchInlineSnapshot(
      `"stage 3 owns several apps with a serve target: cart, shop. Name the one to serve in stages/3/stage.yaml: serve: { project: cart, target: serve }."`,
    );
  });

  it('refuses a stage with no app that has a serve target', () => {
    const choice = chooseServeTarget(stage('3', { files: ['libs/ui/**'], file: 'stages/3/stage.yaml' }), [cart, ui]);
    expect(choice).toMatchObject({ ok: false, kind: 'not-found' });
    expect(choice.ok ? '' : `${choice.message}. ${choice.hint}`).toMatchInlineSnapshot(
      `"stage 3 has no app with a serve target: no project in its files (libs/ui/**) has one. Give the app a serve target, or name the project and its dev server target in stages/3/stage.yaml: serve: { project: cart, target: dev }."`,
    );
  });

  it('follows serve: in stage.yaml, also outside the stage files', () => {
    const named = stage('3', { files: ['libs/ui/**'], serve: { project: 'shop', target: 'serve' } });
    expect(chooseServeTarget(named, [cart, shop, ui])).toMatchObject({ ok: true, project: 'shop', target: 'serve', chosenBy: 'stage.yaml', config: NODE_SCRIPT });
  });

  it('refuses a serve: naming a project or target the worktree does not have', () => {
    const file = 'stages/3/stage.yaml';
    const noProject = chooseServeTarget(stage('3', { file, serve: { project: 'carts', target: 'serve' } }), [cart, shop]);
    const noTarget = chooseServeTarget(stage('3', { file, serve: { project: 'cart', target: 'dev' } }), [cart, shop]);
    expect([noProject, noTarget].map((choice) => (choice.ok ? choice : `${choice.kind}: ${choice.message}. ${choice.hint}`))).toMatchInlineSnapshot(`
[
  "not-found: stages/3/stage.yaml names serve.project "carts", which is no project of stage 3's worktree (did you mean cart?). Write a name \`nx show projects\` prints in the worktree.",
  "not-found: project cart has no target "dev" (serve: in stages/3/stage.yaml). Its targets: build, serve; name its dev server in serve.target.",
]
`);
  });

  it('never takes an inherited member for a target', () => {
    const choice = chooseServeTarget(stage('3', { serve: { project: 'cart', target: 'constructor' } }), [cart]);
    expect(choice).toMatchObject({ ok: false, kind: 'not-found' });
  });
});

describe('portPassing', () => {
  it('passes --port to the Nx executors whose port is the server port', () => {
    for (const executor of ['@nx/vite:dev-server', '@nx/webpack:dev-server', '@nx/next:server', '@nx/rspack:dev-server', '@nx/angular:dev-server']) {
      expect(portPassing({ executor })).toEqual({ flag: true });
    }
  });

  it('passes --port to run-commands (inferred serve targets, project.json commands) and run-script, which forward it', () => {
    expect(portPassing(VITE_INFERRED)).toEqual({ flag: true });
    expect(portPassing({ command: 'node server.js' })).toEqual({ flag: true });
    expect(portPassing({ executor: 'nx:run-script', options: { script: 'dev' } })).toEqual({ flag: true });
  });

  it('keeps --port from a command that forwards nothing, unless it reads {args.port}', () => {
    expect(portPassing({ executor: 'nx:run-commands', options: { command: 'node server.js', forwardAllArgs: false } })).toMatchObject({ flag: false });
    expect(portPassing({ executor: 'nx:run-commands', options: { command: 'node server.js --listen={args.port}', forwardAllArgs: false } })).toEqual({ flag: true });
    expect(portPassing({ executor: 'nx:run-commands', options: { forwardAllArgs: false, commands: [{ command: 'node a.js', forwardAllArgs: true }] } })).toEqual({ flag: true });
  });

  it('gives @nx/js:node (whose --port is the debugger) and unknown executors PORT only', () => {
    expect(portPassing({ executor: '@nx/js:node', options: { buildTarget: 'api:build' } })).toEqual({ flag: false, why: "@nx/js:node's --port is the debugger's" });
    expect(portPassing({ executor: '@acme/tools:serve' })).toEqual({ flag: false, why: '@acme/tools:serve is not known to take --port' });
  });

  it('builds the nx arguments from the rule', () => {
    expect(serveArgs('cart', 'serve', 4301, { flag: true })).toEqual(['run', 'cart:serve', '--port=4301']);
    expect(serveArgs('api', 'serve', 4301, { flag: false, why: '' })).toEqual(['run', 'api:serve']);
  });
});

describe('validPort', () => {
  it('takes whole numbers from 1 to 65535, as numbers or digits', () => {
    expect([4301, '4302', 0, 65536, 43.5, '43a', -1, null].map(validPort)).toEqual([4301, 4302, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
