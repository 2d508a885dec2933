import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { GateSettings, Plan, Stage } from '../../core/model';
import { planOf } from '../../core/test-support/plan-data';
import { renderOutcome } from '../../core/outcome';
import { commitFile, createRepo, makeTempDir } from '../../git/test-support/temp-repo';
import { runGatesCommand } from '../gates';
import { writeProofCommand } from '../proof';
import { newWorktree } from './new-worktree';

// The runner a stage's `test` gate calls here: a real process writing a real JUnit XML file and
// coverage summary, from numbers committed in fixture.json (so each scenario is committed work).
export const RUNNER = `const fs = require('fs');
const f = JSON.parse(fs.readFileSync('fixture.json', 'utf8'));
if (f.report !== false) {
  const cases = [];
  for (let i = 0; i < f.passed; i++) cases.push('<testcase name="ok ' + i + '"/>');
  for (let i = 0; i < f.failed; i++) cases.push('<testcase name="bad ' + i + '"><failure>no</failure></testcase>');
  for (let i = 0; i < f.skipped; i++) cases.push('<testcase name="later ' + i + '"><skipped/></testcase>');
  fs.writeFileSync('junit.xml', '<testsuites><testsuite>' + cases.join('') + '</testsuite></testsuites>');
  fs.mkdirSync('coverage', { recursive: true });
  const m = { total: 100, covered: f.covered };
  fs.writeFileSync('coverage/coverage-summary.json', JSON.stringify({ total: { lines: m, statements: m, functions: m, branches: m } }));
}
process.exit(f.failed ? 1 : 0);
`;

/** A plan whose `test` gate runs RUNNER, with the given extra gates and default profile. */
export function fixturePlan(stages: Stage[], extra: Record<string, GateSettings> = {}, profile = ['templates', 'test', 'coverage', 'proof']): Plan {
  return planOf(stages, { gates: { test: { run: 'node run-tests.js' }, ...extra }, profiles: { default: profile } });
}

/**
 * A repository `app` inside a temp folder of its own (worktrees go beside it), with the test
 * runner committed. Its reports are not ignored: a user's runner writes them into the tree.
 */
export function createStageRepo(): string {
  const app = join(makeTempDir(), 'app');
  renameSync(createRepo(), app);
  commitFile(app, 'run-tests.js', RUNNER, 'test runner');
  return app;
}

/** The stage's worktree with its work committed: fixture.json holds what the tests will report. */
export async function startStage(root: string, plan: Plan, id: string, fixture: object = {}, files: Record<string, string> = {}, stack = false): Promise<string> {
  const worktree = (await newWorktree(root, plan, id, { dependencies: 'none', stack })).path;
  commitFile(worktree, 'fixture.json', JSON.stringify({ passed: 3, failed: 0, skipped: 0, covered: 95, ...fixture }), `stage ${id} work`);
  for (const [path, text] of Object.entries(files)) commitFile(worktree, path, text, `stage ${id}: ${path}`);
  return worktree;
}

/** Gates then proof; throws with the output when either fails (a fixture step, not the test). */
export async function proveStage(root: string, plan: Plan, stage: Stage): Promise<void> {
  const gated = await runGatesCommand(root, plan, stage);
  if (!gated.ok) throw new Error(`fixture: gates of ${stage.id} failed:\n${renderOutcome(gated).stdout}${renderOutcome(gated).stderr}`);
  const proved = await writeProofCommand(root, plan, stage, { review: 'Reviewed in the fixture.' });
  if (!proved.ok) throw new Error(`fixture: proof of ${stage.id} failed:\n${renderOutcome(proved).stdout}${renderOutcome(proved).stderr}`);
}
