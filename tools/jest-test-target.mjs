// The Jest `test` target the demo and the gates benchmark give their projects (e2e/gates.spec.ts,
// TypeScript under Jest, writes the same one): jest with JUnit XML and a coverage summary, cached
// by Nx with both reports as outputs, so the gates can read them on a cache hit too.
export const jestTestTarget = (cwd) => ({
  executor: 'nx:run-commands',
  cache: true,
  inputs: ['{projectRoot}/**/*'],
  outputs: ['{projectRoot}/junit.xml', '{projectRoot}/coverage'],
  options: { command: 'jest --ci --coverage --coverageReporters=json-summary --reporters=default --reporters=jest-junit', cwd },
});
