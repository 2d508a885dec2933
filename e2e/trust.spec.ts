/**
 * End-to-end: proof trust levels (stages.yaml `proofs.trust`) through the real `nx` CLI, in a real
 * Nx workspace (the newest Nx of NX_VERSIONS) with the packed plugin installed, Jest from the
 * registry (no JUnit reporter: nx-stages measures the tests itself), stage worktrees beside it.
 *   stage 1 (libs/alpha) under `signed`: ssh keys made here with ssh-keygen, an allowed-signers
 *     file committed in the workspace; no signing key, then an unknown key, then the allowed one
 *     (the proof the unknown key signed is re-signed with `git commit --amend -S`, as proof says).
 *   stage 2 (libs/beta) under `checksum`, then `remeasured`: one of its tests passes only when LUCKY
 *     is set, and it is set in the shell that runs its gates and proof, not in the one that merges.
 * Every git setting is local to the workspace's repository (the worktrees share it); no global git
 * config is read (cleanEnv's GIT_CONFIG_GLOBAL), HOME and TMPDIR are folders of the test's own.
 * The default profile is cut to templates, test, coverage and proof: no lint/build/typecheck
 * targets exist here, and npm's advisory service cannot be reached.
 *
 * The tests build on each other, in order. Needs the plugin built (`npm run test:e2e` builds it).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GatesResult } from '../packages/nx-stages/src/core/gates/gates-result';
import {
  cleanEnv,
  commitIn,
  createWorkspace,
  expectSuccess,
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
let home: string;
let tmp: string;
let ws: Workspace;
const worktreeOf = (id: string) => `${ws.root}-stage-${id}`;
/** Every command runs with HOME and TMPDIR inside the test's temp folder. */
const own = (extra: Record<string, string> = {}) => ({ HOME: home, TMPDIR: tmp, ...extra });
const nx = (args: readonly string[], extra: Record<string, string> = {}) => runIn(ws, ws.root, process.execPath, [nxBinOf(ws), ...args], own(extra));
const bin = (args: readonly string[]) => runIn(ws, ws.root, join(ws.root, 'node_modules', '.bin', 'nx-stages'), args, own());
const gitIn = (cwd: string, args: readonly string[]) => runIn(ws, cwd, 'git', args, own());
const resultOf = (id: string): GatesResult => JSON.parse(readFileSync(ws.path(`.git/nx-stages/gates/stage-${id}/gates.json`), 'utf8'));
const ALLOWED_SIGNERS = '.nx-stages/allowed_signers';

function expectRefused(result: RunResult): void {
  if (result.status === 0) throw new Error(`expected a refusal, got exit 0:\n${result.output}`);
  expect(result.output).not.toMatch(STACK_TRACE);
}

/** Commits files in a stage worktree (an unsigned commit: only proofs are signed), with the test's own HOME. */
const commitStage = (id: string, files: Record<string, string>, message: string) => commitIn(ws, worktreeOf(id), files, message, own());

function writeJestProject(name: string): void {
  ws.write(
    `libs/${name}/project.json`,
    `${JSON.stringify(
      {
        name,
        root: `libs/${name}`,
        targets: { test: { executor: 'nx:run-commands', cache: true, options: { command: 'jest', cwd: `libs/${name}` } } },
      },
      null,
      2,
    )}\n`,
  );
  ws.write(`libs/${name}/jest.config.js`, "module.exports = { testEnvironment: 'node' };\n");
  ws.write(`libs/${name}/index.js`, 'exports.twice = (n) => n * 2;\n');
  ws.write(`libs/${name}/index.test.js`, "const { twice } = require('./index');\ntest('twice', () => expect(twice(2)).toBe(4));\n");
}

/** An ssh key pair made by ssh-keygen in the test's folder, and its allowed-signers line (principal, key). */
function sshKey(name: string): { key: string; line: string } {
  const key = join(parent, 'keys', name);
  mkdirSync(dirname(key), { recursive: true });
  runOrThrow('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key], { cwd: parent, env: cleanEnv(parent, own()) });
  const publicKey = readFileSync(`${key}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { key, line: `e2e@example.com ${publicKey}` };
}

/** Sets `proofs.trust` in the plan's settings and commits it on the base branch, as a team would. */
function setTrust(trust: 'checksum' | 'signed' | 'remeasured'): void {
  const settings = ws.read('stages/stages.yaml');
  const next = settings.replace(/^ {2}trust: \w+$/m, `  trust: ${trust}`);
  expect(next).toMatch(new RegExp(`^ {2}trust: ${trust}$`, 'm'));
  ws.write('stages/stages.yaml', next);
  ws.commitAll(`proofs.trust: ${trust}`);
}

/** What a refused merge must leave exactly as it was: the base branch and the main checkout. */
const baseState = () => ({
  main: ws.git(['rev-parse', 'main']).stdout.trim(),
  status: ws.status(),
  merging: existsSync(ws.path('.git/MERGE_HEAD')),
});
const worktreeList = () => ws.git(['worktree', 'list', '--porcelain']).stdout;

let allowed: { key: string; line: string };
let stranger: { key: string; line: string };

beforeAll(() => {
  parent = makeTempRoot('nx-stages-e2e-trust-');
  home = join(parent, 'home');
  tmp = join(parent, 'tmp');
  mkdirSync(home);
  mkdirSync(tmp);
  const tarball = packPlugin(parent);
  ws = createWorkspace(parent, NEWEST, tarball);
  runOrThrow('npm', ['install', '-D', '--save-exact', 'jest@30.5.2'], { cwd: ws.root, env: workspaceEnv(ws), timeout: SETUP_TIMEOUT });
  writeJestProject('alpha');
  writeJestProject('beta');
  // What create-nx-workspace's own .gitignore has (`/coverage`); reports of nx-stages' own runs need no entry.
  ws.write('.gitignore', `${ws.read('.gitignore')}/coverage\n`);
  expectSuccess(nx(['g', 'nx-stages:init']));
  allowed = sshKey('allowed');
  stranger = sshKey('stranger');
  ws.write(ALLOWED_SIGNERS, `${allowed.line}\n`);
  ws.write(
    'stages/stages.yaml',
    `${ws.read('stages/stages.yaml')}
proofs:
  trust: signed
  allowedSigners: ${ALLOWED_SIGNERS}
profiles:
  default: [templates, test, coverage, proof]
`,
  );
  expectSuccess(nx(['g', 'nx-stages:stage', '1', '--name=Alpha signed', '--files=libs/alpha/**']));
  expectSuccess(nx(['g', 'nx-stages:stage', '2', '--name=Beta lucky', '--files=libs/beta/**']));
  ws.commitAll('two jest projects, two stages, who may sign proofs');
  expectSuccess(nx(['run', 'stages:validate']));
}, SETUP_TIMEOUT * 2);

afterAll(() => (process.env.KEEP_E2E ? console.log(`kept ${parent}`) : removeTempRoot(parent)));

describe(`proofs.trust: signed, on ${NEWEST.label}`, () => {
  const wt = () => worktreeOf('1');
  const head = () => gitIn(wt(), ['rev-parse', 'HEAD']).stdout.trim();

  it('starts the stage with the bin, commits work there and passes its gates', () => {
    const created = bin(['worktree', '1']);
    expectSuccess(created);
    expect(created.stdout.trim()).toBe(wt());
    // Repository-local (the worktree shares its repository's config): ssh signing, no key yet.
    expectSuccess(gitIn(wt(), ['config', 'gpg.format', 'ssh']));
    expect(gitIn(wt(), ['config', '--get', 'user.signingkey']).status).toBe(1);
    commitStage(
      '1',
      {
        'libs/alpha/index.js': 'exports.twice = (n) => n * 2;\nexports.half = (n) => n / 2;\n',
        'libs/alpha/half.test.js': "const { half } = require('./index');\ntest('half', () => expect(half(4)).toBe(2));\n",
      },
      'alpha: half',
    );
    expectSuccess(nx(['run', 'stage-1:gates']));
    expect(resultOf('1')).toMatchObject({ clean: true, commit: head(), tests: { total: 2, passed: 2, failed: 0, skipped: 0 } });
  });

  it('no user.signingkey: the proof cannot be signed, nothing is committed, and merge is refused with the base unchanged', () => {
    const before = { base: baseState(), head: head() };
    const proof = nx(['run', 'stage-1:proof', '--review=Half is tested.']);
    expectRefused(proof);
    expect(proof.output).toContain('Proof of stage 1 refused');
    expect(proof.output).toContain('user.signingkey');
    expect(head()).toBe(before.head);
    expect(ws.git(['tag', '--list', 'stage-1-complete']).stdout.trim()).toBe('');

    const merge = nx(['run', 'stage-1:merge']);
    expectRefused(merge);
    expect(merge.output).toContain('Merge of stage 1 refused: its proof is not valid for stage-1');
    expect(baseState()).toEqual(before.base);
  });

  it('an unknown key: the proof is committed signed, and merge refuses the signature, base unchanged', () => {
    expectSuccess(gitIn(wt(), ['config', 'user.signingkey', stranger.key]));
    const proof = nx(['run', 'stage-1:proof', '--review=Half is tested.']);
    expectSuccess(proof);
    expect(proof.output).toContain('Committed "Stage 1 Complete: Alpha signed" on stage-1');
    expect(proof.output).toContain(`! verify and merge will refuse it: the proof commit ${head().slice(0, 12)} has no good signature`);
    expect(gitIn(wt(), ['log', '-1', '--format=%s']).stdout.trim()).toBe('Stage 1 Complete: Alpha signed');
    // Signed (git can read an ssh signature), but by no key in the allowed-signers file.
    expect(gitIn(wt(), ['-c', `gpg.ssh.allowedSignersFile=${ws.path(ALLOWED_SIGNERS)}`, 'log', '-1', '--format=%G?']).stdout.trim()).not.toMatch(/^[NG]$/);

    const before = baseState();
    const merge = nx(['run', 'stage-1:merge']);
    expectRefused(merge);
    expect(merge.output).toContain('Merge of stage 1 refused: its proof is not valid for stage-1');
    expect(merge.output).toContain(`has no good signature by a key in ${ALLOWED_SIGNERS} (proofs.trust: signed)`);
    expect(baseState()).toEqual(before);
    const verify = nx(['run', 'stage-1:verify']);
    expectRefused(verify);
    expect(verify.output).toContain('has no good signature');
  });

  it('the allowed key: proof will not call the committed proof current, the owner re-signs it, and verify and merge accept it', () => {
    expectSuccess(gitIn(wt(), ['config', 'user.signingkey', allowed.key]));
    const strangers = head();
    const tagged = ws.git(['rev-parse', 'stage-1-complete^{commit}']).stdout.trim();
    // Nothing new to commit: running proof again does not sign the proof already committed, and says so.
    const again = nx(['run', 'stage-1:proof', '--review=Half is tested.']);
    expectRefused(again);
    expect(again.output).toContain('Proof of stage 1 refused: the proof on stage-1 is already committed, but the proof commit');
    expect(again.output).toContain('git commit --amend --no-edit -S');
    expect(head()).toBe(strangers);
    expect(ws.git(['rev-parse', 'stage-1-complete^{commit}']).stdout.trim()).toBe(tagged);
    expect(nx(['run', 'stage-1:merge']).status).not.toBe(0);

    // What the refusal says to do: re-sign the proof commit with the allowed key, then proof moves the tag.
    expectSuccess(gitIn(wt(), ['commit', '-q', '--amend', '--no-edit', '-S']));
    const resigned = nx(['run', 'stage-1:proof', '--review=Half is tested.']);
    expectSuccess(resigned);
    expect(resigned.output).toContain('Tag stage-1-complete moved to it');
    expect(resigned.output).not.toContain('will refuse it');
    const proofCommit = head();
    expect(proofCommit).not.toBe(strangers);
    expect(ws.git(['rev-parse', 'stage-1-complete^{commit}']).stdout.trim()).toBe(proofCommit);
    expect(gitIn(wt(), ['-c', `gpg.ssh.allowedSignersFile=${ws.path(ALLOWED_SIGNERS)}`, 'log', '-1', '--format=%G?']).stdout.trim()).toBe('G');
    expectSuccess(nx(['run', 'stage-1:verify']));

    const before = baseState();
    const merge = nx(['run', 'stage-1:merge']);
    expectSuccess(merge);
    expect(merge.output).toContain('Merged stage-1 into main');
    expect(ws.git(['rev-parse', 'main']).stdout.trim()).not.toBe(before.main);
    expect(ws.git(['log', '-1', '--format=%s', 'main']).stdout.trim()).toBe('Merge Stage 1: Alpha signed');
    expect(ws.git(['rev-parse', 'main^2']).stdout.trim()).toBe(proofCommit);
    expect(ws.git(['show', 'main:libs/alpha/half.test.js']).stdout).toContain("test('half'");
    expect(ws.read('libs/alpha/index.js')).toContain('exports.half');
    expect(ws.status()).toBe('');
  });
});

describe(`proofs.trust: remeasured, on ${NEWEST.label}`, () => {
  const wt = () => worktreeOf('2');
  const remeasureLeftovers = () => readdirSync(tmp).filter((name) => name.startsWith('nx-stages-remeasure-'));
  const CHANGED = 'test: the proof says pass, measured again it is fail';

  it('a pass only the measuring shell produced is proven under checksum, and checksum accepts it', () => {
    setTrust('checksum');
    expectSuccess(bin(['worktree', '2']));
    commitStage(
      '2',
      {
        'libs/beta/index.test.js':
          "const { twice } = require('./index');\ntest('twice', () => expect(twice(2)).toBe(4));\ntest('lucky', () => expect(process.env.LUCKY).toBe('1'));\n",
      },
      'beta: a test that needs LUCKY',
    );
    expectSuccess(nx(['run', 'stage-2:gates'], { LUCKY: '1' }));
    expect(resultOf('2')).toMatchObject({ clean: true, tests: { total: 2, passed: 2, failed: 0, skipped: 0 } });
    expectSuccess(nx(['run', 'stage-2:proof', '--review=Beta is tested.'], { LUCKY: '1' }));
    expect(gitIn(wt(), ['log', '-1', '--format=%s']).stdout.trim()).toBe('Stage 2 Complete: Beta lucky');
    expectSuccess(nx(['run', 'stage-2:verify']));
  });

  it('`verify --remeasure` under checksum measures again and refuses it; with LUCKY set it holds', () => {
    const measuredAt = resultOf('2').finishedAt;
    const worktrees = worktreeList();
    const refused = nx(['run', 'stage-2:verify', '--remeasure']);
    expectRefused(refused);
    expect(refused.output).toContain('Remeasuring stage 2 at');
    expect(refused.output).toContain('the proof on stage-2 cannot be trusted');
    expect(refused.output).toContain(CHANGED);
    // The throwaway worktree is gone; the stage's own result is untouched.
    expect(worktreeList()).toBe(worktrees);
    expect(remeasureLeftovers()).toEqual([]);
    expect(resultOf('2').finishedAt).toBe(measuredAt);

    // The same remeasurement in the shell that had LUCKY: the same verdicts, so the refusal came from the environment.
    expectSuccess(nx(['run', 'stage-2:verify', '--remeasure'], { LUCKY: '1' }));
    expect(worktreeList()).toBe(worktrees);
  });

  it('merge under remeasured is refused naming the gate that changed verdict: base exactly as before, no worktree left', () => {
    setTrust('remeasured');
    const before = baseState();
    const worktrees = worktreeList();
    expect(worktrees.match(/^worktree /gm)).toHaveLength(3); // main, stage 1, stage 2
    const merge = nx(['run', 'stage-2:merge']);
    expectRefused(merge);
    expect(merge.output).toContain('Merge of stage 2 refused: its proof is not valid for stage-2');
    expect(merge.output).toContain(CHANGED);
    expect(baseState()).toEqual(before);
    expect(ws.git(['log', '--format=%s', 'main']).stdout).not.toContain('Merge Stage 2');
    expect(worktreeList()).toBe(worktrees);
    expect(remeasureLeftovers()).toEqual([]);
  });
});
