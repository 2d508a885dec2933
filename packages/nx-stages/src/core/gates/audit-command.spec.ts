import { auditCommand, packageManagerFrom } from './audit-command';

describe('auditCommand', () => {
  it.each([
    [{ manager: 'npm', berry: false }, 'npm audit --json'],
    [{ manager: 'pnpm', version: '10.34.9', berry: false }, 'pnpm audit --json'],
    [{ manager: 'bun', berry: false }, 'bun audit --json'],
    [{ manager: 'yarn', version: '1.22.22', berry: false }, 'yarn audit --json'],
    [{ manager: 'yarn', berry: false }, 'yarn audit --json'],
    // Yarn 2+ has no `yarn audit`; --all: every workspace, --recursive: transitive dependencies too.
    [{ manager: 'yarn', version: '3.8.7', berry: true }, 'yarn npm audit --all --recursive --json'],
    [{ manager: 'yarn', berry: true }, 'yarn npm audit --all --recursive --json'],
    [{ manager: 'yarn', version: '4.18.1', berry: true }, 'yarn npm audit --all --recursive --json --no-deprecations'],
  ] as const)('%j → %s', (pm, line) => {
    const command = auditCommand(pm);
    expect(command.display).toBe(line);
    expect([command.command, ...command.args].join(' ')).toBe(line);
  });

  it("is what the checkout's files call for", () => {
    const yarn4 = packageManagerFrom({ rootFiles: ['package.json', 'yarn.lock'], packageJson: '{"packageManager":"yarn@4.18.1"}' });
    expect(auditCommand(yarn4)).toEqual({
      command: 'yarn',
      args: ['npm', 'audit', '--all', '--recursive', '--json', '--no-deprecations'],
      display: 'yarn npm audit --all --recursive --json --no-deprecations',
    });
    expect(auditCommand(packageManagerFrom({ rootFiles: ['yarn.lock'] })).display).toBe('yarn audit --json');
  });
});
