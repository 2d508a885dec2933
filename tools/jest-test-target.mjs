// The Jest `test` target the demo gives its projects, as a user writes one by hand: `jest` in the
// project folder, cached by Nx. No JUnit reporter, no declared outputs: nx-stages measures the
// tests itself (its reporter's line travels in the task output that Nx replays from its cache).
export const jestTestTarget = (cwd) => ({
  executor: 'nx:run-commands',
  cache: true,
  options: { command: 'jest', cwd },
});
