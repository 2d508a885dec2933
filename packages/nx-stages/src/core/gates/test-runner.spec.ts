import { detectTestRunner, runnerOfCommand } from './test-runner';

describe('detectTestRunner', () => {
  it.each([
    [{ executor: '@nx/jest:jest' }, 'jest', 'executor'],
    [{ executor: '@nrwl/jest:jest' }, 'jest', 'executor'],
    [{ executor: '@nx/vite:test' }, 'vitest', 'executor'],
    [{ executor: '@nx/vitest:test' }, 'vitest', 'executor'],
    [{ executor: '@nx/playwright:playwright' }, 'other', 'executor'],
    [{}, 'other', 'executor'],
    // What Nx's inference plugins write: a command, normalised to run-commands with options.command.
    [{ command: 'jest' }, 'jest', 'command'],
    [{ executor: 'nx:run-commands', options: { command: 'vitest run', cwd: 'apps/web' } }, 'vitest', 'command'],
    [{ executor: 'nx:run-commands', options: { commands: ['jest --ci'] } }, 'jest', 'command'],
    [{ executor: 'nx:run-commands', options: { commands: [{ command: 'vitest' }] } }, 'vitest', 'command'],
    // Several commands: appended flags would reach only the last one.
    [{ executor: 'nx:run-commands', options: { commands: ['tsc', 'jest'] } }, 'other', 'command'],
    [{ executor: 'nx:run-commands', options: {} }, 'other', 'command'],
  ])('%j → %s (%s)', (target, runner, style) => {
    expect(detectTestRunner(target)).toEqual({ runner, style });
  });
});

describe('runnerOfCommand', () => {
  it.each([
    ['jest', 'jest'],
    ['npx jest --coverage', 'jest'],
    ['pnpm exec vitest run', 'vitest'],
    ['yarn jest', 'jest'],
    ['bunx vitest', 'vitest'],
    ['NODE_OPTIONS=--max-old-space-size=4096 jest', 'jest'],
    ['env CI=1 vitest run', 'vitest'],
    ['node_modules/.bin/jest', 'jest'],
    ['npm run test -- --watch=false', 'other'],
    ['mocha', 'other'],
    ['jest && echo done', 'other'],
    ['vitest run | tee out.txt', 'other'],
    ['   ', 'other'],
  ])('%s → %s', (command, runner) => {
    expect(runnerOfCommand(command)).toBe(runner);
  });
});
