#!/usr/bin/env node
export {};

const argv = process.argv.slice(2);
// `guard` runs before every file an agent writes: it loads only its own modules (bin/guard-hook),
// not every verb's through ./cli. Both read the command line the same way (bin/argv).
const run: Promise<number> =
  argv[0] === 'guard'
    ? import('./guard-hook').then(({ runGuardCli }) => runGuardCli(argv, { log: console.log, error: console.error }))
    : import('./cli').then(({ runCli }) => runCli(argv, process.cwd()));

run.then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`nx-stages: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
