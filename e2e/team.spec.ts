/**
 * End-to-end: a team on a shared remote (SPEC §7), through the packed plugin in a real Nx
 * workspace (the newest Nx of NX_VERSIONS). A bare repository is the remote; Ann's clone is the
 * workspace made by createWorkspace, Bob's a `git clone` of the remote beside it (his
 * node_modules a link to Ann's: one npm install for both, as lean as CI on 2 cores needs). Each
 * has stage worktrees; a third clone plays the forge that squash-merges a pull request.
 * The gates need no test runner (profile templates, proof): what travels is under test here.
 *
 * The tests build on each other, in order. Needs the plugin built (`npm run test:e2e` builds it).
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  commitIn,
  createWorkspace,
  expectSuccess,
  extractJson,
  makeTempRoot,
  NX_VERSIONS,
  nxBinOf,
  packPlugin,
  removeTempRoot,
  runIn,
  runOrThrow,
  type RunResult,
  SETUP_TIMEOUT,
  STACK_TRACE,
  type Workspace,
  workspaceEnv,
} from './support/workspace';

jest.setTimeout(240_000);

const NEWEST = NX_VERSIONS[0];
let parent: string;
let ws: Workspace;
let bare: string;
let bob: string;

interface StatusJson {
  remote: { name: string; fetchedAt?: string } | null;
  stages: { id: string; copy: string | null; merged: boolean; proof: string | null; branchExists: boolean }[];
}

const ann = () => ws.root;
const gitIn = (cwd: string, args: readonly string[]) => runIn(ws, cwd, 'git', args);
/** `npx nx-stages <args>` in a person's clone (each clone's own node_modules/.bin). */
const bin = (clone: string, args: readonly string[]) => runIn(ws, clone, join(clone, 'node_modules', '.bin', 'nx-stages'), args);
const nx = (args: readonly string[]) => runIn(ws, ann(), process.execPath, [nxBinOf(ws), ...args]);
const statusOf = (clone: string): StatusJson => {
  const result = bin(clone, ['status', '--json', '--fetch']);
  expectSuccess(result);
  return extractJson<StatusJson>(result.stdout);
};
const stageOf = (report: StatusJson, id: string) => report.stages.find((row) => row.id === id)!;
const refsOf = (dir: string) => gitIn(dir, ['for-each-ref', '--format=%(refname) %(objectname)']).stdout;
const tip = (dir: string, ref: string) => gitIn(dir, ['rev-parse', ref]).stdout.trim();

function expectRefused(result: RunResult): void {
  if (result.status === 0) throw new Error(`expected a refusal, got exit 0:\n${result.output}`);
  expect(result.output).not.toMatch(STACK_TRACE);
}

/** Work committed in a person's stage worktree, gates, then the proof pushed (branch and tag), with the bin. */
function proveWith(clone: string, id: string, file: string): void {
  commitIn(ws, `${clone}-stage-${id}`, { [file]: `exports.stage = ${JSON.stringify(id)};\n` }, `stage ${id}: work`);
  expectSuccess(bin(clone, ['gates', id]));
  const proof = bin(clone, ['proof', id, '--review=Reviewed by the team e2e.', '--push']);
  expectSuccess(proof);
  expect(proof.stdout).toContain(`✔ Pushed stage-${id} and tag stage-${id}-complete to origin`);
}

beforeAll(() => {
  parent = makeTempRoot('nx-stages-e2e-team-');
  ws = createWorkspace(parent, NEWEST, packPlugin(parent));
  expectSuccess(ws.runNx(['g', 'nx-stages:init']));
  ws.write('stages/stages.yaml', `${ws.read('stages/stages.yaml')}\nprofiles:\n  default: [templates, proof]\n`);
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '1', '--name=Alpha', '--files=libs/alpha/**']));
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '2', '--name=Beta', '--files=libs/beta/**']));
  expectSuccess(ws.runNx(['g', 'nx-stages:stage', '3', '--name=Gamma', '--files=libs/gamma/**']));
  ws.commitAll('three stages');
  bare = join(parent, 'remote.git');
  const env = workspaceEnv(ws);
  runOrThrow('git', ['init', '-q', '--bare', '-b', 'main', bare], { cwd: parent, env });
  expectSuccess(ws.git(['remote', 'add', 'origin', bare]));
  expectSuccess(ws.git(['push', '-q', '-u', 'origin', 'main']));
  bob = join(parent, 'bob');
  runOrThrow('git', ['clone', '-q', bare, bob], { cwd: parent, env });
  symlinkSync(ws.path('node_modules'), join(bob, 'node_modules'));
}, SETUP_TIMEOUT);

afterAll(() => (process.env.KEEP_E2E ? console.log(`kept ${parent}`) : removeTempRoot(parent)));

describe(`a team on a shared remote, on ${NEWEST.label}`, () => {
  it("Bob's stage and proof, pushed with --push, are in Ann's status after --fetch", () => {
    expectSuccess(bin(bob, ['worktree', '2', '--dependencies=none', '--push']));
    expect(tip(bare, 'refs/heads/stage-2')).toBe(tip(bob, 'main'));
    proveWith(bob, '2', 'libs/beta/index.js');
    expect(tip(bare, 'refs/heads/stage-2')).toBe(tip(`${bob}-stage-2`, 'HEAD'));
    expect(tip(bare, 'refs/tags/stage-2-complete^{commit}')).toBe(tip(`${bob}-stage-2`, 'HEAD'));

    const before = bin(ann(), ['status', '--json']);
    expect(stageOf(extractJson<StatusJson>(before.stdout), '2')).toMatchObject({ copy: 'none', proof: null });
    const report = statusOf(ann());
    expect(report.remote).toMatchObject({ name: 'origin', fetchedAt: expect.any(String) });
    expect(stageOf(report, '2')).toMatchObject({ copy: 'remote-only', branchExists: false, proof: 'valid', merged: false });
  });

  it('Ann starts and proves stage 1 with --push through nx (generator and executor)', () => {
    const created = nx(['g', 'nx-stages:worktree', '1', '--push']);
    expectSuccess(created);
    expect(created.output).toContain('pushed stage-1 to origin (upstream origin/stage-1)');
    const worktree = `${ann()}-stage-1`;
    commitIn(ws, worktree, { 'libs/alpha/index.js': 'exports.stage = "1";\n' }, 'stage 1: work');
    expectSuccess(nx(['run', 'stage-1:gates']));
    const proof = nx(['run', 'stage-1:proof', '--review=Reviewed by the team e2e.', '--push']);
    expectSuccess(proof);
    expect(proof.output).toContain('✔ Pushed stage-1 and tag stage-1-complete to origin');
    expect(tip(bare, 'refs/heads/stage-1')).toBe(tip(worktree, 'HEAD'));
  });

  it('a merge --push onto a base the remote has moved past is refused: everything as it was, and it says to pull', () => {
    commitIn(ws, bob, { 'NOTES.md': 'Bob was here.\n' }, "Bob's fix on main");
    expectSuccess(gitIn(bob, ['push', '-q', 'origin', 'main']));
    const before = { ann: refsOf(ann()), remote: refsOf(bare), status: ws.status() };
    const merge = nx(['run', 'stage-1:merge', '--push']);
    expectRefused(merge);
    expect(merge.output).toContain('Merge of stage 1 refused: your main is behind origin/main (someone pushed to it); nothing was merged.');
    expect(merge.output).toContain('git pull --no-rebase origin main');
    // The fetch moved origin/main in Ann's clone; nothing else changed, here or on the remote.
    const moved = (refs: string) => refs.replace(/^refs\/remotes\/origin\/main .*$/m, '');
    expect(moved(refsOf(ann()))).toBe(moved(before.ann));
    expect(refsOf(bare)).toBe(before.remote);
    expect(ws.status()).toBe(before.status);
    expect(ws.exists('.git/MERGE_HEAD')).toBe(false);
  });

  it("Ann pulls, then the merge queue with --push merges both stages in the plan's order: Bob's fetch sees them merged", () => {
    expectSuccess(ws.git(['pull', '-q', '--no-rebase', 'origin', 'main']));
    // Bob's stage is merged from the remote's copy of its branch: Ann has no branch of it.
    expect(ws.git(['branch', '--list', 'stage-2']).stdout.trim()).toBe('');
    const queued = bin(ann(), ['merge', '--push']);
    expectSuccess(queued);
    expect(queued.stderr).toMatch(/Merge queue into main, one at a time in the plan's merge order:\n {2}1\. 1 .*\n {2}2\. 2 /);
    expect(queued.stderr).toContain('✔ Pushed main to origin');
    expect(queued.stdout).toMatch(/2 of 2 merged into main$/m);
    const merges = ws.git(['log', '--first-parent', '--merges', '--format=%s', 'main']).stdout.trim().split('\n').reverse();
    expect(merges.filter((subject) => subject.startsWith('Merge Stage')).map((subject) => subject.slice(0, 'Merge Stage 1'.length))).toEqual(['Merge Stage 1', 'Merge Stage 2']);
    expect(tip(bare, 'refs/heads/main')).toBe(tip(ann(), 'main'));

    const seen = statusOf(bob);
    expect([stageOf(seen, '1').merged, stageOf(seen, '2').merged]).toEqual([true, true]);
    expect(tip(bob, 'origin/main')).toBe(tip(ann(), 'main'));
  });

  it('a stage squash-merged on the forge counts as merged in status, before anyone pulls', () => {
    expectSuccess(bin(bob, ['worktree', '3', '--dependencies=none', '--push']));
    const worktree = `${bob}-stage-3`;
    commitIn(ws, worktree, { 'libs/gamma/index.js': 'exports.stage = "3";\n' }, 'stage 3: work');
    expectSuccess(gitIn(worktree, ['push', '-q']));
    const forge = join(parent, 'forge');
    runOrThrow('git', ['clone', '-q', bare, forge], { cwd: parent, env: workspaceEnv(ws) });
    expectSuccess(gitIn(forge, ['merge', '-q', '--squash', 'origin/stage-3']));
    expectSuccess(gitIn(forge, ['commit', '-q', '-m', 'Gamma (#3)']));
    expectSuccess(gitIn(forge, ['push', '-q', 'origin', 'main']));

    const annMain = tip(ann(), 'main');
    expect(stageOf(statusOf(ann()), '3')).toMatchObject({ copy: 'remote-only', merged: true });
    expect(tip(ann(), 'main')).toBe(annMain);
  });

  it('clean --push deletes the remote branches of the merged stages it cleans, merged on the remote counting too', () => {
    // Bob never pulled his main, but stage 2 (Ann's merge --push) and stage 3 (the forge's squash) are in origin/main:
    // merged for the team, so his clean removes his worktrees of them and their remote branches, each while it is the commit judged.
    const bobs = bin(bob, ['clean', '--push']);
    expectSuccess(bobs);
    expect(bobs.stdout).toContain('  removed stage 2: worktree ../bob-stage-2\n    deleted remote branch origin/stage-2');
    expect(bobs.stdout).toContain('  removed stage 3: worktree ../bob-stage-3\n    deleted remote branch origin/stage-3');

    const anns = bin(ann(), ['clean', '--push']);
    expectSuccess(anns);
    expect(anns.stdout).toContain('    deleted remote branch origin/stage-1');
    expect(
      gitIn(bare, ['branch', '--list'])
        .stdout.split('\n')
        .map((name) => name.trim().replace(/^\* /, ''))
        .filter(Boolean),
    ).toEqual(['main']);
  });
});
