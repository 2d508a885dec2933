import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { proofDigest, type Proof } from '../core/gates/proof';
import type { Plan, Stage } from '../core/model';
import type { TrustLevel } from '../core/proof-settings';
import { stage } from '../core/test-support/plan-data';
import { contentHash } from '../git/content';
import { commitFile, git, makeTempDir, useTempRepos } from '../git/test-support/temp-repo';
import { verifyCommand } from './verify';
import { createStageRepo, fixturePlan, proveStage, RUNNER, startStage } from './test-support/stage-fixture';

/**
 * The tamper set of the README's table, on real repositories: an honest owner proves a stage
 * (signing the proof commit with an allowed ssh key), then a forger without that key tampers the
 * way a person would — editing and committing files, recomputing every digest and manifest the
 * proof carries with nx-stages' own functions — and `verify` is asked at each trust level.
 * `true` = caught (verify refuses). The README's table must say the same (checked below).
 */
const LEVELS: TrustLevel[] = ['checksum', 'signed', 'remeasured'];
type Row = { caught: [checksum: boolean, signed: boolean, remeasured: boolean]; tamper: (ctx: Tampering) => Promise<void> | void; honest?: Honest };
type Honest = { fixture?: object; runner?: string; env?: Record<string, string> };

interface Tampering {
  root: string;
  worktree: string;
  folder: string;
  plan: (trust: TrustLevel) => Plan;
}

const STAGES = [stage('1', { name: 'First stage' }), stage('2', { name: 'Second stage' })];
const LUCKY_RUNNER = RUNNER.replace(
  "const f = JSON.parse(fs.readFileSync('fixture.json', 'utf8'));",
  "const f = JSON.parse(fs.readFileSync('fixture.json', 'utf8'));\nif (!process.env.LUCKY) { f.failed = 1; f.passed -= 1; }",
);

const TABLE: Record<string, Row> = {
  'a number edited in `proof.json`': {
    caught: [true, true, true],
    tamper: (ctx) =>
      forge(ctx, 'claim more tests', (proof) => {
        proof.tests!.passed += 2;
        proof.tests!.total += 2;
      }),
  },
  'an evidence file edited': {
    caught: [true, true, true],
    tamper: (ctx) =>
      forge(ctx, 'evidence with a test more', (proof) => {
        const junit = proof.evidence.find((entry) => entry.kind === 'junit');
        if (!junit) throw new Error("the fixture's proof has no JUnit evidence");
        const path = join(ctx.worktree, junit.path);
        const before = readFileSync(path, 'utf8');
        writeFileSync(path, before.replace('<testcase', '<testcase name="extra"/><testcase'));
        expect(readFileSync(path, 'utf8')).not.toBe(before);
      }),
  },
  'a result edited from fail to pass (numbers contradict the verdict)': {
    caught: [true, true, true],
    tamper: (ctx) =>
      forge(ctx, 'one failure, still a pass', (proof) => {
        proof.tests = { total: 3, passed: 2, failed: 1, skipped: 0 };
      }),
  },
  'code changed after the proof': {
    caught: [true, true, true],
    tamper: (ctx) => {
      commitFile(ctx.worktree, 'fixture.json', JSON.stringify({ passed: 2, failed: 1, skipped: 0, covered: 95 }), 'break a test after the proof');
    },
  },
  'a file added to the proof folder': {
    caught: [true, true, true],
    tamper: (ctx) => {
      commitFile(ctx.worktree, `${relative(ctx.worktree, ctx.folder)}/reports/extra.txt`, 'all good\n', 'one more report');
    },
  },
  'a proof copied from another stage or branch, digest recomputed': {
    caught: [true, true, true],
    tamper: async (ctx) => {
      // Stage 2 proven honestly on its own branch; its proof copied into stage 1 and retargeted.
      const other = await startStage(ctx.root, ctx.plan('checksum'), '2');
      await proveStage(ctx.root, ctx.plan('checksum'), STAGES[1]);
      const source = join(other, 'stage-proofs', 'stage-2');
      for (const file of filesUnder(source)) {
        const target = join(ctx.folder, relative(source, file).replace('STAGE_2_PROOF.md', 'STAGE_1_PROOF.md'));
        writeFileSync(target, readFileSync(file, 'utf8').replaceAll('stage-2', 'stage-1').replaceAll('Stage 2', 'Stage 1'));
      }
      await forge(ctx, 'the proof of stage 2, for stage 1', (proof) => {
        proof.stage = '1';
        proof.branch = 'stage-1';
      });
    },
  },
  'history rewritten under the proof': {
    caught: [true, true, true],
    tamper: async (ctx) => {
      // The measured work replaced by other work; the proof committed on top as it was.
      const saved = new Map(filesUnder(ctx.folder).map((file) => [file, readFileSync(file)]));
      git(ctx.worktree, ['reset', '--quiet', '--hard', 'HEAD~2']);
      commitFile(ctx.worktree, 'fixture.json', JSON.stringify({ passed: 2, failed: 1, skipped: 0, covered: 95 }), 'stage 1 work');
      for (const [file, bytes] of saved) writeTo(file, bytes);
      git(ctx.worktree, ['add', '--force', '--', relative(ctx.worktree, ctx.folder)]);
      git(ctx.worktree, ['commit', '--quiet', '-m', 'Stage 1 Complete: First stage']);
    },
  },
  'invented evidence with numbers and digest recomputed': {
    caught: [false, true, true],
    tamper: async (ctx) => {
      // Work that fails its tests, with a proof claiming it passed: every number, digest and content hash consistent.
      commitFile(ctx.worktree, 'fixture.json', JSON.stringify({ passed: 2, failed: 1, skipped: 0, covered: 95 }), 'more work');
      const measured = git(ctx.worktree, ['rev-parse', 'HEAD']).trim();
      const hash = await contentHash(ctx.worktree, measured, relative(ctx.worktree, ctx.folder));
      if (!hash.ok) throw new Error(hash.message);
      await forge(ctx, 'Stage 1 Complete: First stage', (proof) => {
        proof.commit = measured;
        proof.contentHash = hash.value;
      });
    },
  },
  "a pass that only the measuring shell's environment produced": {
    caught: [false, false, true],
    honest: { runner: LUCKY_RUNNER, env: { LUCKY: '1' } },
    tamper: () => undefined,
  },
};

describe('the tamper set: which trust level catches which, on real repositories', () => {
  useTempRepos();
  jest.setTimeout(120_000);
  it.each(Object.entries(TABLE))('%s', async (_name, row) => {
    // Temp folders go after each test: a key of the test's own.
    const keys = ownerKey(makeTempDir());
    const root = createStageRepo();
    commitFile(root, 'allowed_signers', `${keys.line}\n`, 'who may sign proofs');
    const plan = (trust: TrustLevel): Plan => {
      const planned = fixturePlan(STAGES);
      planned.settings.proofs = { trust, allowedSigners: 'allowed_signers' };
      return planned;
    };
    const worktree = await startStage(root, plan('signed'), '1', row.honest?.fixture, row.honest?.runner ? { 'run-tests.js': row.honest.runner } : {});
    git(worktree, ['config', 'gpg.format', 'ssh']);
    git(worktree, ['config', 'user.signingkey', keys.allowed]);
    await withEnv(row.honest?.env ?? {}, () => proveStage(root, plan('signed'), STAGES[0]));
    const honest = await verifyAll(root, plan, STAGES[0]);
    expect(honest).toEqual(row.honest?.env ? [false, false, true] : [false, false, false]);

    // The forger has no allowed key: whatever they commit is unsigned.
    git(worktree, ['config', '--unset', 'user.signingkey']);
    await row.tamper({ root, worktree, folder: join(worktree, 'stage-proofs', 'stage-1'), plan });
    expect(await verifyAll(root, plan, STAGES[0])).toEqual(row.caught);
  });

  it("the README's table says what these tests show", () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
    const rows = new Map(
      readme
        .split('\n')
        .filter((line) => line.startsWith('| ') && /[✔✖]/.test(line))
        .map((line) => {
          const cells = line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim());
          return [cells[0], cells.slice(1).map((cell) => cell.startsWith('✔'))] as const;
        }),
    );
    for (const [name, row] of Object.entries(TABLE)) expect([name, rows.get(name)]).toEqual([name, row.caught]);
    expect(rows.size).toBe(Object.keys(TABLE).length);
  });
});

/** The honest owner's ssh key, and its allowed-signers line (git's format: principal, key). */
function ownerKey(dir: string): { allowed: string; line: string } {
  const key = join(dir, 'owner');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'owner', '-f', key]);
  return { allowed: key, line: `owner@example.com ${readFileSync(`${key}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}` };
}

/** true per level = refused. */
async function verifyAll(root: string, plan: (trust: TrustLevel) => Plan, target: Stage): Promise<boolean[]> {
  const refused: boolean[] = [];
  for (const level of LEVELS) refused.push(!(await verifyCommand(root, plan(level), target)).ok);
  return refused;
}

/**
 * Edits the committed proof as a forger with nx-stages' source at hand would: proof.json changed,
 * then its manifest of the folder and its digest recomputed, and the folder committed.
 */
async function forge(ctx: Tampering, message: string, edit: (proof: Proof) => void): Promise<void> {
  const file = join(ctx.folder, 'proof.json');
  const proof = JSON.parse(readFileSync(file, 'utf8')) as Proof;
  edit(proof);
  const files: Record<string, string> = {};
  for (const path of filesUnder(ctx.folder)) {
    if (path !== file) files[relative(ctx.worktree, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  const { digest: _old, ...body } = { ...proof, files };
  writeFileSync(file, `${JSON.stringify({ ...body, digest: proofDigest(body) }, null, 2)}\n`);
  git(ctx.worktree, ['add', '--force', '--', relative(ctx.worktree, ctx.folder)]);
  git(ctx.worktree, ['commit', '--quiet', '-m', message]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function writeTo(file: string, bytes: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
