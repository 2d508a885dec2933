/**
 * End-to-end: the gates on stock workspaces, as create-nx-workspace makes them (npm + Jest, npm +
 * Vitest, pnpm + Jest, Yarn 4 + Jest; two @nx/js libraries, beta importing alpha), with nx-stages
 * added by `nx add`. Nothing of the workspace's own configuration is changed except the audit
 * gate's tier (no advisory service here) and, for Jest on Node < 22.6, TypeScript 5.9 instead of the
 * preset's 6.0 (the stock `jest.config.cts` cannot load otherwise: see JEST_NEEDS_TS_NODE).
 * Each kind: a stage is measured cold, re-run unchanged (reused), changed in one project only
 * (only it measured again, counts still right), proven, verified and merged.
 *
 * Needs the plugin built (`npm run test:e2e` builds it). About 4 minutes per workspace.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GatesResult } from '../packages/nx-stages/src/core/gates/gates-result';
import { JEST_NEEDS_TS_NODE, STOCK_SETUP_TIMEOUT, STOCK_WORKSPACES, type StockKind, type StockWorkspace } from './support/stock-workspace';
import { expectSuccess } from './support/workspace';

jest.setTimeout(STOCK_SETUP_TIMEOUT);

const KINDS: StockKind[] = ['npm-jest', 'npm-vitest', 'pnpm-jest', 'yarn4-jest'];

describe.each(KINDS)('gates on a stock %s workspace', (kind) => {
  let ws: StockWorkspace;
  const worktree = () => `${ws.root}-stage-1`;
  const result = (): GatesResult => JSON.parse(readFileSync(join(ws.root, '.git/nx-stages/gates/stage-1/gates.json'), 'utf8'));
  const gate = (name: string) => result().gates.find((entry) => entry.name === name)!;
  const gitIn = (args: readonly string[]) => ws.run('git', ['-C', worktree(), ...args]);
  const commitInStage = (files: Record<string, string>, message: string) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(worktree(), path)), { recursive: true });
      writeFileSync(join(worktree(), path), text);
    }
    expectSuccess(gitIn(['add', '-A']));
    expectSuccess(gitIn(['commit', '-q', '-m', message]));
  };
  const spec = 'spec.ts';
  const testImport = kind === 'npm-vitest' ? "import { describe, expect, it } from 'vitest';\n" : '';

  beforeAll(() => {
    const jestRunner = kind !== 'npm-vitest';
    ws = STOCK_WORKSPACES[kind]({ ...(jestRunner && JEST_NEEDS_TS_NODE ? { typescript: '5.9.3' } : {}), ...(kind === 'npm-jest' ? { parallelOne: true } : {}) });
    ws.writeFile('stages/stages.yaml', `${ws.readFile('stages/stages.yaml')}\ngates:\n  audit: { tier: optional }\n`);
    expectSuccess(ws.nx(['g', 'nx-stages:stage', '1', '--name=Alpha doubles', '--files=packages/alpha/**,packages/beta/**']));
    expectSuccess(ws.nx(['g', 'nx-stages:stage', '2', '--name=Later work', '--files=docs/**']));
    ws.commitAll('two stages');
    expectSuccess(ws.run('npx', ['nx-stages', 'worktree', '1']));
    commitInStage(
      {
        'packages/alpha/src/lib/double.ts': 'export function double(n: number): number {\n  return n * 2;\n}\n',
        [`packages/alpha/src/lib/double.${spec}`]: `${testImport}import { double } from './double.js';\n\ndescribe('double', () => {\n  it('doubles', () => {\n    expect(double(2)).toEqual(4);\n  });\n});\n`,
      },
      'alpha: double',
    );
  }, STOCK_SETUP_TIMEOUT * 2);

  afterAll(() => (process.env.KEEP_E2E ? console.log(`kept ${ws?.tempRoot}`) : ws?.remove()));

  it('measures a stage cold with no configuration: Nx task results per gate, tests and coverage counted', () => {
    const cold = ws.nx(['run-many', '-t', 'gates', '--outputStyle=static']);
    expectSuccess(cold);
    expect(cold.output).toMatch(/Stage 2 has no branch yet \(stage-2\): nothing to do/);
    // nx.json's "parallel": 1 (this kind has it) makes the two stages' gates wait for each other: said once, with the fix.
    if (kind === 'npm-jest') expect(cold.output.match(/nx\.json sets "parallel": 1/g)).toHaveLength(1);
    expect(result().gates.map((entry) => `${entry.name}:${entry.status}`)).toEqual([
      'templates:pass',
      'lint:pass',
      'build:pass',
      'typecheck:pass',
      'test:pass',
      'coverage:pass',
      'proof:pending',
      'audit:could-not-run',
    ]);
    // alpha's two specs and beta's one (beta is affected: it imports alpha).
    expect(result().tests).toEqual({ total: 3, passed: 3, failed: 0, skipped: 0 });
    expect(result().coverage?.lines).toBeGreaterThanOrEqual(90);
    expect(
      gate('test')
        .tasks?.map((task) => task.project)
        .sort(),
    ).toEqual([ws.projects.alpha, ws.projects.beta].sort());
    expect(gate('lint').tasks?.every((task) => task.hash && task.status === 'success')).toBe(true);
    expect(gate('audit').detail).toMatch(/audit could not run: .+ said:/);
    // Nothing of the gates in the worktree.
    expect(gitIn(['status', '--porcelain', '--untracked-files=all']).stdout).toBe('');
  });

  it('re-runs an unchanged stage by reusing its result', () => {
    const measuredAt = result().finishedAt;
    const again = ws.nx(['run', 'stage-1:gates']);
    expectSuccess(again);
    expect(again.output).toContain('reused: nothing changed');
    expect(result().finishedAt).toBe(measuredAt);
  });

  it('after a change in one project only, measures only it again and still counts every test', () => {
    const betaSpec = `packages/beta/src/lib/beta.${spec}`;
    const text = readFileSync(join(worktree(), betaSpec), 'utf8');
    commitInStage({ [betaSpec]: text.replace(/\n\}\);\s*$/, `\n  it('is a string', () => {\n    expect(typeof beta()).toBe('string');\n  });\n});\n`) }, 'beta: one more test');
    const changed = ws.nx(['run', 'stage-1:gates']);
    expectSuccess(changed);
    const tasks = Object.fromEntries(gate('test').tasks!.map((task) => [task.project, task.cached]));
    expect(tasks).toEqual({ [ws.projects.alpha]: true, [ws.projects.beta]: false });
    expect(result().tests).toEqual({ total: 4, passed: 4, failed: 0, skipped: 0 });
  });

  it('proves, verifies and merges the stage', () => {
    expectSuccess(ws.nx(['run', 'stage-1:proof', '--review=Doubling is tested in alpha; beta checked.']));
    expectSuccess(ws.nx(['run', 'stage-1:verify']));
    expectSuccess(ws.nx(['run', 'stage-1:merge']));
    expect(ws.git(['log', '-1', '--format=%s', 'main']).stdout.trim()).toBe('Merge Stage 1: Alpha doubles');
    // Merged: gates, proof and verify skip it with one line; its committed proof stays as it is.
    const skipped = ws.nx(['run-many', '-t', 'gates', 'verify', '--outputStyle=static']);
    expectSuccess(skipped);
    expect(skipped.output).toContain('Stage 1 is merged into main');
  });
});
