'use strict';
// What the nx-stages test reporters print: one line per test run, in the task's terminal output.
// Nx keeps a task's terminal output in its cache and replays it on a cache hit, so the numbers
// come back with it, whatever the workspace declares as the target's outputs. The line names the
// task hash Nx ran it under and a digest of every file the run read (test files, covered
// sources), so the gates can tell a replay of other content from a result for this content.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { relative, sep } = require('node:path');

const MARKER = '[nx-stages:measured]';
// Part of every record: a replay of what an older reporter printed is measured again, not trusted.
const REPORTER = `nx-stages@${require('../package.json').version}`;
const MAX_FAILURES = 20;

function fileDigest(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  } catch {
    return null; // deleted during the run: recorded as missing
  }
}

/** Files relative to the workspace root (forward slashes), each with a short content digest. */
function digests(paths) {
  const root = process.env.NX_WORKSPACE_ROOT || process.cwd();
  const files = {};
  for (const path of [...new Set(paths)].sort()) {
    const rel = relative(root, path).split(sep).join('/');
    if (rel.startsWith('..')) continue; // outside the workspace (a linked dependency)
    files[rel] = fileDigest(path);
  }
  return files;
}

/** covered/total per metric from an istanbul CoverageMap, or null when coverage was not collected. */
function coverageTotals(coverageMap) {
  if (!coverageMap || typeof coverageMap.getCoverageSummary !== 'function') return null;
  const summary = coverageMap.getCoverageSummary().toJSON();
  const pick = (metric) => ({ covered: summary[metric].covered, total: summary[metric].total });
  return { lines: pick('lines'), branches: pick('branches'), functions: pick('functions'), statements: pick('statements') };
}

/** The reporter line for a record (with a newline before it: a runner may have left its line open). */
function line(record) {
  const entry = {
    version: 1,
    reporter: REPORTER,
    task: process.env.NX_TASK_TARGET_PROJECT ? `${process.env.NX_TASK_TARGET_PROJECT}:${process.env.NX_TASK_TARGET_TARGET}` : null,
    hash: process.env.NX_TASK_HASH || null,
    ...record,
    failures: (record.failures || []).slice(0, MAX_FAILURES),
  };
  return `\n${MARKER} ${JSON.stringify(entry)}\n`;
}

/** One line on stdout: Nx captures it with the task's output (a pty may add \r; the reader strips it). */
function print(record) {
  process.stdout.write(line(record));
}

module.exports = { MARKER, digests, coverageTotals, line, print };
