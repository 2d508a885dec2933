'use strict';
// A Jest reporter the gates add with `--reporters=default --reporters=<this file>`: counts every
// test, names the failing ones, and sums coverage when Jest collected it (--coverage).
//
// Jest runs custom reporters before its coverage reporter, which only then puts the coverage map
// on the shared results. So the line is printed once every reporter is done: in getLastError,
// which Jest calls after onRunComplete, or at the latest when the process exits.
const { writeSync } = require('node:fs');
const { coverageTotals, digests, line } = require('./measured.cjs');

class NxStagesJestReporter {
  constructor(globalConfig) {
    this.collectsCoverage = Boolean(globalConfig && globalConfig.collectCoverage);
    this.results = undefined;
    this.printed = false;
    process.once('exit', () => this.print());
  }

  onRunComplete(_contexts, results) {
    this.results = results;
    if (!this.collectsCoverage || results.coverageMap) this.print();
  }

  getLastError() {
    if (this.results) this.print();
    return undefined;
  }

  print() {
    if (this.printed || !this.results) return;
    this.printed = true;
    const results = this.results;
    const failures = [];
    const files = [];
    for (const file of results.testResults) {
      files.push(file.testFilePath);
      for (const test of file.testResults) if (test.status === 'failed') failures.push(test.fullName || test.title);
      if (file.testExecError) failures.push(`${file.testFilePath}: ${String(file.testExecError.message).split('\n')[0]}`);
    }
    if (results.coverageMap) files.push(...results.coverageMap.files());
    // Synchronous: this may run in the process's exit handler.
    writeSync(
      1,
      line({
        runner: 'jest',
        kind: 'tests',
        tests: {
          total: results.numTotalTests,
          passed: results.numPassedTests,
          failed: results.numFailedTests,
          skipped: results.numPendingTests + results.numTodoTests,
        },
        // A suite that could not run (syntax error, missing module) has no test to count as failed.
        failedSuites: results.numRuntimeErrorTestSuites,
        failures,
        coverage: coverageTotals(results.coverageMap),
        files: digests(files),
      }),
    );
  }
}

module.exports = NxStagesJestReporter;
