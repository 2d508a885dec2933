import { installCommand } from './package-manager';

describe('installCommand', () => {
  it.each([
    [['package.json', 'pnpm-lock.yaml'], 'pnpm'],
    [['yarn.lock'], 'yarn'],
    [['bun.lockb'], 'bun'],
    [['package-lock.json'], 'npm'],
    [['package.json'], 'npm'],
  ])('%j → %s', (files, manager) => {
    expect(installCommand(files).manager).toBe(manager);
  });
});
