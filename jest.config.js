// Two projects: fast unit tests beside the code, and e2e tests on real workspaces.
// The summary reporter prints the `tests: N passed, N failed` line CI reads.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }];

module.exports = {
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      rootDir: '<rootDir>/packages/nx-stages',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': swc },
      testEnvironment: 'node',
    },
    {
      displayName: 'e2e',
      rootDir: '<rootDir>/e2e',
      testMatch: ['<rootDir>/**/*.spec.ts'],
      transform: { '^.+\\.ts$': swc },
      testEnvironment: 'node',
      slowTestThreshold: 120,
    },
  ],
};
