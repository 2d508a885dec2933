#!/usr/bin/env node
import { runCli } from './cli';

runCli(process.argv.slice(2), process.cwd()).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`nx-stages: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
