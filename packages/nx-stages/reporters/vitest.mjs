// A Vitest reporter the gates add with `--reporter=default --reporter=<this file>`: counts every
// test, names the failing ones, and sums coverage when Vitest collected it (--coverage.enabled).
// Vitest 3+ calls onTestRunEnd, older ones onFinished; coverage arrives in onCoverage, whose order
// against the end of the run differs between versions, so it is a record of its own.
import { createRequire } from 'node:module';

const { coverageTotals, digests, print } = createRequire(import.meta.url)('./measured.cjs');

const STATES = { pass: 'passed', passed: 'passed', fail: 'failed', failed: 'failed' };

export default class NxStagesVitestReporter {
  done = false;

  onCoverage(coverageMap) {
    const coverage = coverageTotals(coverageMap);
    if (coverage) print({ runner: 'vitest', kind: 'coverage', coverage, files: digests(coverageMap.files()) });
  }

  onTestRunEnd(testModules, errors) {
    const tests = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) tests.push({ name: test.fullName, state: STATES[test.result().state] ?? 'skipped' });
    }
    const brokenModules = testModules.filter((module) => module.state() === 'failed' && module.children.size === 0).length;
    this.finish(
      tests,
      testModules.map((module) => module.moduleId),
      brokenModules + (errors?.length ?? 0),
    );
  }

  onFinished(files = [], errors = []) {
    const tests = [];
    const walk = (task) => {
      if (task.type === 'test' || task.type === 'custom') tests.push({ name: task.name, state: STATES[task.result?.state] ?? 'skipped' });
      for (const child of task.tasks ?? []) walk(child);
    };
    for (const file of files) walk(file);
    this.finish(
      tests,
      files.map((file) => file.filepath),
      errors.length,
    );
  }

  finish(tests, testFiles, failedSuites) {
    if (this.done) return; // Vitest 3 calls both hooks
    this.done = true;
    const count = (state) => tests.filter((test) => test.state === state).length;
    print({
      runner: 'vitest',
      kind: 'tests',
      tests: { total: tests.length, passed: count('passed'), failed: count('failed'), skipped: tests.length - count('passed') - count('failed') },
      failedSuites,
      failures: tests.filter((test) => test.state === 'failed').map((test) => test.name),
      files: digests(testFiles),
    });
  }
}
