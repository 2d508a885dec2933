import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Finding, TestTarget } from '../core/doctor';
import { createRepo, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { doctorCommand } from './doctor';

useTempRepos();

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** A folder holding an executable `name`, to stand for PATH. */
function pathWith(...programs: string[]): NodeJS.ProcessEnv {
  const bin = makeTempDir();
  for (const program of programs) {
    writeFileSync(join(bin, program), '#!/bin/sh\n');
    chmodSync(join(bin, program), 0o755);
  }
  return { PATH: bin };
}

const brief = (findings: Finding[]) => findings.map((finding) => `${finding.check}:${finding.level}`);

const targets: TestTarget[] = [
  { project: 'api', target: 'test', root: 'libs/api', config: { executor: '@nx/jest:jest' } },
  { project: 'web', target: 'test', root: 'apps/web', config: { executor: 'nx:run-commands', options: { command: 'vitest run' } } },
  { project: 'legacy', target: 'test', root: 'libs/legacy', config: { command: 'mocha', outputs: [] } },
];

describe('doctorCommand on a real repository', () => {
  it('finds what stops the gates in a hand-written workspace, with the fix for each', async () => {
    const root = createRepo();
    write(root, 'nx.json', JSON.stringify({ parallel: 1, plugins: ['@nx/jest/plugin'] }));
    write(root, 'package-lock.json', '{}');
    // A real node_modules folder: git matches `node_modules/` against it, not against a symlink.
    write(root, '.gitignore', 'node_modules/\nstage-proofs/\n!.env.local\n');
    write(root, 'node_modules/vitest/package.json', JSON.stringify({ name: 'vitest', version: '3.2.4' }));
    write(root, 'stages/stages.yaml', 'teamSize: [\n');

    const result = await doctorCommand(root, 'stages', { testTargets: targets, env: pathWith() });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'failed' }, data: { success: false, errors: 4, warnings: 7 } });
    expect(brief(result.data!.findings)).toEqual([
      'plugin:error',
      'test-targets:ok',
      'test-targets:warning',
      'test-targets:warning',
      'parallel:warning',
      'ignore:warning',
      'ignore:warning',
      'ignore:warning',
      'ignore:warning',
      'ignore:error',
      'audit:error',
      'plan:error',
    ]);
    const fixes = result.data!.findings.map((finding) => finding.fix);
    expect(fixes).toEqual(
      expect.arrayContaining([
        'nx g nx-stages:init',
        'npm i -D @vitest/coverage-v8@3.2.4',
        'nx run-many -t gates --parallel=3',
        'remove line 3 of .gitignore: !.env.local',
        'add this line to .gitignore: .nx/cache',
        'add this line to .gitignore: node_modules',
        'remove line 2 of .gitignore: stage-proofs/',
      ]),
    );
    expect(result.data!.findings.find((finding) => finding.check === 'plan')?.message).toMatch(/^stages\/stages\.yaml:\d+/);
    // The findings are the report, each with its fix under it; the failure is its one line for scripts.
    expect(result.text.replaceAll(root, '<root>')).toMatchSnapshot();
    expect(result.failure).toMatchInlineSnapshot(`
      {
        "hint": "Each error comes with its fix.",
        "kind": "failed",
        "message": "Doctor found 4 errors: the gates cannot measure in this workspace until they are fixed",
      }
    `);
  });

  it('passes a workspace set up the way init leaves it, with the --json document as its data', async () => {
    const root = createRepo();
    write(root, 'nx.json', JSON.stringify({ plugins: [{ plugin: 'nx-stages', options: {} }] }));
    write(root, 'pnpm-lock.yaml', '');
    write(root, '.gitignore', 'node_modules\n.env.local\n.nx/cache\n.nx/workspace-data\n');
    write(root, 'apps/web/node_modules/@vitest/coverage-v8/package.json', JSON.stringify({ version: '3.2.4' }));
    // A stage worktree's linked node_modules: a symlink, which `node_modules` (no slash) ignores.
    symlinkSync(makeTempDir(), join(root, 'node_modules'));
    write(root, 'stages/stages.yaml', 'name: stages\n');

    const result = await doctorCommand(root, 'stages', { testTargets: targets.slice(0, 2), env: pathWith('pnpm') });
    expect(brief(result.data!.findings)).toEqual(['plugin:ok', 'test-targets:ok', 'parallel:ok', 'ignore:ok', 'audit:ok', 'plan:ok']);
    expect(result.ok).toBe(true);
    // The --json document: the verdict, the counts and the findings.
    expect(result.data).toEqual({ success: true, errors: 0, warnings: 0, findings: expect.any(Array) });
    expect(result.text.split('\n').pop()).toBe('✔ Nothing stops the gates from measuring in this workspace.');
  });

  it('finds the package manager in the checkout node_modules/.bin, as the gates do', async () => {
    const root = createRepo();
    write(root, 'nx.json', JSON.stringify({ plugins: ['nx-stages'] }));
    write(root, 'yarn.lock', '');
    write(root, 'node_modules/.bin/yarn', '#!/bin/sh\n');
    chmodSync(join(root, 'node_modules/.bin/yarn'), 0o755);
    const result = await doctorCommand(root, 'stages', { env: { PATH: '' } });
    expect(result.data!.findings.find((finding) => finding.check === 'audit')).toMatchObject({ level: 'ok', message: 'yarn is on PATH for the audit gate' });
    // No test targets given: that check is skipped, not guessed.
    expect(result.data!.findings.some((finding) => finding.check === 'test-targets')).toBe(false);
  });

  it('says so when the workspace is not a git repository', async () => {
    const root = makeTempDir();
    write(root, 'nx.json', '{\n  // Nx allows comments\n  "plugins": ["nx-stages"]\n}\n');
    const result = await doctorCommand(root, 'stages', { env: pathWith('npm') });
    expect(result.data!.findings[0]).toMatchObject({ check: 'plugin', level: 'ok' });
    expect(result.data!.findings.find((finding) => finding.check === 'ignore')).toMatchObject({ level: 'error', message: expect.stringContaining('not a git repository') });
  });
});
