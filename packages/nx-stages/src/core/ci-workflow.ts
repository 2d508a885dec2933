import { Document, isMap, isScalar } from 'yaml';
import { findCycles, knownDependencies, parallelGroups, stagesByGroup } from './graph';
import { compareIds, stageProjectName } from './ids';
import { DEFAULT_PLAN_FOLDER } from './load-plan';
import type { Plan, Stage } from './model';
import { packageManagerFrom, type InstallCommand } from './package-manager';
import { stageBranch } from './worktree-layout';
import { proofFolder } from './conventions';

/**
 * The GitHub Actions workflow of `nx g nx-stages:ci`: one job per stage running its gates on
 * the stage's own branch, `needs` following `dependsOn`. Built as data and written by the yaml
 * library, so nothing a user typed (names, branches) can break the YAML; what GitHub itself
 * would evaluate (`${{ }}`) is neutralised or refused before it gets there.
 */

export interface CiToolchain {
  manager: InstallCommand['manager'];
  /** Lock file at the workspace root, undefined when there is none. */
  lockFile?: string;
  /** Yarn 2+ (`--immutable`, needs corepack); Yarn 1 uses `--frozen-lockfile`. */
  yarnBerry?: boolean;
  /** pnpm/action-setup's `version`; undefined when package.json's `packageManager` pins it. */
  pnpmVersion?: string;
}

export interface CiWorkflowOptions {
  baseBranch: string;
  nodeVersion: string;
  /** A runner label, or several (`[self-hosted, linux]`). */
  runsOn: string | string[];
  toolchain: CiToolchain;
}

export type CiWorkflow = { ok: true; text: string; jobIds: Map<string, string> } | { ok: false; message: string; hint: string };

export const NX_CACHE_FOLDER = '.nx/cache';
const LOCK_FILES: Record<CiToolchain['manager'], string[]> = {
  npm: ['package-lock.json', 'npm-shrinkwrap.json'],
  pnpm: ['pnpm-lock.yaml'],
  yarn: ['yarn.lock'],
  bun: ['bun.lock', 'bun.lockb'],
};
const NODE_VERSION = /^[A-Za-z0-9.*/<>=^~ +-]+$/;
const RUNNER_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Which package manager CI must set up, judged like the worktree setup (by lock file), plus
 * what its GitHub actions need to know: `files` are the names at the workspace root.
 */
export function ciToolchain(files: readonly string[], packageJson?: string, pnpmLock?: string): CiToolchain {
  const { manager, berry } = packageManagerFrom({ rootFiles: files, packageJson });
  const lockFile = LOCK_FILES[manager].find((file) => files.includes(file));
  const packageManager = packageManagerField(packageJson);
  if (manager === 'yarn') return { manager, lockFile, yarnBerry: berry };
  if (manager === 'pnpm') {
    if (packageManager?.startsWith('pnpm@')) return { manager, lockFile };
    // pnpm/action-setup fails without a version; the lock file format tells which pnpm wrote it.
    const lockVersion = Number(/^lockfileVersion:\s*['"]?(\d+)/m.exec(pnpmLock ?? '')?.[1]);
    return { manager, lockFile, pnpmVersion: lockVersion === 5 ? '7' : lockVersion === 6 ? '8' : '9' };
  }
  return { manager, lockFile };
}

function packageManagerField(packageJson: string | undefined): string | undefined {
  try {
    const field = (JSON.parse(packageJson ?? '{}') as { packageManager?: unknown }).packageManager;
    return typeof field === 'string' ? field : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GitHub job ids: letters, digits, `-` and `_`, starting with a letter or `_`, compared without
 * case. `9.1` becomes `stage-9_1`. Ids that need no change keep their natural job id; the others
 * take the next free `-2`, `-3` … so two stages never share a job (`9.1` and `9_1`, `A` and `a`).
 */
export function ciJobIds(ids: readonly string[]): Map<string, string> {
  const natural = (id: string) => `stage-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const sorted = [...ids].sort(compareIds);
  const exact = sorted.filter((id) => natural(id) === `stage-${id}`);
  const taken = new Set<string>();
  const result = new Map<string, string>();
  for (const id of [...exact, ...sorted.filter((id) => !exact.includes(id))]) {
    let jobId = natural(id);
    for (let n = 2; taken.has(jobId.toLowerCase()); n++) jobId = `${natural(id)}-${n}`;
    taken.add(jobId.toLowerCase());
    result.set(id, jobId);
  }
  return result;
}

/**
 * Text shown by GitHub (job and step names): one line, and never `${{`, which GitHub would
 * evaluate — in a name it can read secrets into the log or run an expression from a stage file.
 */
export function displayText(text: string): string {
  return text.replace(UNSAFE_WHITESPACE, ' ').trim().replaceAll('${{', '$ {{');
}

// eslint-disable-next-line no-control-regex -- control characters are what displayText removes
const UNSAFE_WHITESPACE = /[\s\u0000-\u001f\u007f\u2028\u2029]+/g;

/** A branch filter matching every stage branch: `{id}` → `*`, the rest literal (`\` escapes). */
export function branchFilter(pattern: string): string {
  return pattern.split('{id}').map(literalFilter).join('*');
}

function literalFilter(text: string): string {
  return text.replace(/[*?+[\]!]/g, (special) => `\\${special}`);
}

/** A string literal inside a GitHub expression: single quotes, doubled to escape. */
function expressionString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Why there is no workflow to write for this plan at all, before any option matters. */
export function nothingToRun(plan: Plan): Extract<CiWorkflow, { ok: false }> | undefined {
  if (plan.stages.length > 0) return undefined;
  const planOption = plan.settings.folder === DEFAULT_PLAN_FOLDER ? '' : ` --plan=${plan.settings.folder}`;
  return {
    ok: false,
    message: `The plan in ${plan.settings.folder} has no stages, so there is nothing for CI to run; nothing was written.`,
    hint: `Add a stage with \`nx g nx-stages:stage <id> --name="…"${planOption}\`, then run \`nx g nx-stages:ci${planOption}\` again.`,
  };
}

export function renderCiWorkflow(plan: Plan, options: CiWorkflowOptions): CiWorkflow {
  const { settings, stages } = plan;
  const empty = nothingToRun(plan);
  if (empty) return empty;
  const cycles = findCycles(stages);
  if (cycles.length > 0) {
    return {
      ok: false,
      message: `The plan has a dependency cycle (${cycles.map((cycle) => cycle.join(' → ')).join('; ')}); GitHub refuses a workflow whose jobs need each other in a circle.`,
      hint: `Break the cycle in the stage files (\`nx run ${settings.name}:validate\` shows where), then run the generator again.`,
    };
  }
  const refused = checkOptions(plan, options);
  if (refused) return refused;

  const jobIds = ciJobIds(stages.map((stage) => stage.id));
  const dependencies = knownDependencies(stages);
  const ordered = [...stagesByGroup(stages, parallelGroups(stages)).values()].flatMap((group) => [...group].sort((a, b) => compareIds(a.id, b.id)));
  const jobs = Object.fromEntries(
    ordered.map((stage) => [
      jobIds.get(stage.id)!,
      stageJob(stage, stageBranch(settings, stage.id), (dependencies.get(stage.id) ?? []).map((id) => jobIds.get(id)!).sort(), jobIds.get(stage.id)!, options),
    ]),
  );

  // aliasDuplicateObjects off: the runs-on list shared by every job is written out each time, not
  // as a YAML anchor and aliases, which GitHub refused for years and linters still flag.
  const document = new Document(
    {
      name: `Stage gates (${settings.name})`,
      on: {
        push: { branches: [branchFilter(settings.branchPattern)] },
        pull_request: { branches: [literalFilter(options.baseBranch)] },
        workflow_dispatch: null,
      },
      permissions: { contents: 'read' },
      // A new push to the same branch or pull request makes the running gates pointless.
      concurrency: { group: '${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}', 'cancel-in-progress': true },
      jobs,
    },
    { aliasDuplicateObjects: false },
  );
  document.commentBefore = header(plan);
  const jobsKey = isMap(document.contents) ? document.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'jobs')?.key : undefined;
  if (isScalar(jobsKey)) jobsKey.commentBefore = JOBS_COMMENT;
  return { ok: true, text: document.toString({ lineWidth: 0, nullStr: '' }), jobIds };
}

function checkOptions(plan: Plan, options: CiWorkflowOptions): CiWorkflow | undefined {
  const refuse = (message: string, hint: string): CiWorkflow => ({ ok: false, message, hint });
  // Branch names reach `if:` expressions as string literals, env values and `with:` inputs; no
  // escape makes `${{` or `}}` literal in all of them, so such names are refused, not mangled.
  const expressionLike = (text: string) => text.includes('${{') || text.includes('}}');
  if (expressionLike(plan.settings.branchPattern)) {
    return refuse(
      `branchPattern "${plan.settings.branchPattern}" in ${plan.settings.file} contains "\${{" or "}}", which GitHub Actions reads as an expression.`,
      'Use a pattern such as stage-{id}.',
    );
  }
  if (expressionLike(options.baseBranch)) {
    return refuse(`The base branch "${options.baseBranch}" contains "\${{" or "}}", which GitHub Actions reads as an expression.`, 'Name a plain branch such as main.');
  }
  if (!NODE_VERSION.test(options.nodeVersion)) {
    return refuse(`Invalid --nodeVersion "${options.nodeVersion}".`, 'Use a version such as 20, 22.x or lts/*.');
  }
  const labels = Array.isArray(options.runsOn) ? options.runsOn : [options.runsOn];
  const badLabel = labels.find((label) => !RUNNER_LABEL.test(label));
  if (labels.length === 0 || badLabel !== undefined) {
    return refuse(`Invalid --runsOn "${badLabel ?? ''}".`, 'Use runner labels such as ubuntu-latest, or self-hosted,linux.');
  }
  return undefined;
}

function stageJob(stage: Stage, branch: string, needs: string[], jobId: string, options: CiWorkflowOptions): Record<string, unknown> {
  const { toolchain } = options;
  const onBranch = "steps.branch.outputs.exists == 'true'";
  const gatesRan = "always() && (steps.gates.outcome == 'success' || steps.gates.outcome == 'failure')";
  const cacheKeyPrefix = `nx-\${{ runner.os }}-\${{ hashFiles('${toolchain.lockFile ?? 'package.json'}') }}-`;
  return {
    name: displayText(`Stage ${stage.id}: ${stage.name}`),
    ...(needs.length > 0 ? { needs } : {}),
    if: `\${{ !cancelled() && !failure() && (${selectedBy(branch)}) }}`,
    'runs-on': options.runsOn,
    // Values reach the scripts as environment variables, never spliced into the script text.
    // Newer Nx versions may keep the cache under ~/.nx; pinned in the checkout, actions/cache knows the folder.
    env: { STAGE_BRANCH: branch, STAGE_PROJECT: stageProjectName(stage.id), BASE_BRANCH: options.baseBranch, NX_CACHE_DIRECTORY: NX_CACHE_FOLDER },
    steps: [
      { name: 'Check out the default branch (to reach the remote)', uses: 'actions/checkout@v4' },
      { name: `Is ${branch} on the remote yet?`, id: 'branch', shell: 'bash', run: BRANCH_CHECK },
      { name: `Check out ${branch} with its history`, id: 'checkout', if: onBranch, uses: 'actions/checkout@v4', with: { ref: `refs/heads/${branch}`, 'fetch-depth': 0 } },
      {
        name: 'Fetch the base branch (the gates measure from the merge-base with it)',
        if: onBranch,
        shell: 'bash',
        run: 'git fetch --no-tags origin "+refs/heads/$BASE_BRANCH:refs/remotes/origin/$BASE_BRANCH"',
      },
      ...setupSteps(toolchain, options.nodeVersion, onBranch),
      {
        name: 'Restore the Nx cache',
        id: 'nx-cache',
        if: onBranch,
        uses: 'actions/cache/restore@v4',
        with: { path: NX_CACHE_FOLDER, key: `${cacheKeyPrefix}${jobId}-\${{ steps.checkout.outputs.commit }}`, 'restore-keys': `${cacheKeyPrefix}${jobId}-\n${cacheKeyPrefix}` },
      },
      { name: `Gates of stage ${stage.id}`, id: 'gates', if: onBranch, shell: 'bash', run: `${execPrefix(toolchain)} nx run "$STAGE_PROJECT:gates" --base="origin/$BASE_BRANCH"` },
      // CI as the remeasuring party (proofs.trust: remeasured): the proof at the branch's head is measured again here.
      {
        name: `Re-measure the proof of stage ${stage.id}`,
        id: 'remeasure',
        if: onBranch,
        shell: 'bash',
        env: { PROOF_FOLDER: proofFolder(stage.id) },
        run: remeasureScript(toolchain),
      },
      // Saved even when a gate failed: the tasks that passed need not run again on the next push.
      { name: 'Save the Nx cache', if: gatesRan, uses: 'actions/cache/save@v4', with: { path: NX_CACHE_FOLDER, key: '${{ steps.nx-cache.outputs.cache-primary-key }}' } },
      {
        name: 'Upload the gate reports',
        if: gatesRan,
        uses: 'actions/upload-artifact@v4',
        with: { name: `${jobId}-gate-reports`, path: `${proofFolder(stage.id)}/reports/`, 'if-no-files-found': 'warn' },
      },
    ],
  };
}

/**
 * The events that run a stage's job: a manual run (every stage), a push to its branch, or a pull
 * request from its branch in this repository — a fork may use the same branch name, and checking
 * out ours would report on other code.
 */
function selectedBy(branch: string): string {
  const literal = expressionString(branch);
  return [
    "github.event_name == 'workflow_dispatch'",
    `(github.event_name == 'push' && github.ref_name == ${literal})`,
    `(github.event_name == 'pull_request' && github.head_ref == ${literal} && github.event.pull_request.head.repo.full_name == github.repository)`,
  ].join(' || ');
}

/**
 * `verify --remeasure` when the branch's last commit is its proof: the gates run again on the
 * measured commit in a throwaway worktree (tests without the Nx cache) and must give the proof's
 * verdicts and numbers. Before that (no proof yet, or work committed after it) there is nothing
 * to re-measure: merge would refuse such a branch at any trust level anyway. The proof names the
 * base by its local name, which in CI exists only as origin/<base>.
 */
function remeasureScript(toolchain: CiToolchain): string {
  return [
    'proof_commit="$(git log -1 --format=%H HEAD -- "$PROOF_FOLDER")"',
    'if [ -z "$proof_commit" ] || [ "$proof_commit" != "$(git rev-parse HEAD)" ]; then',
    '  echo "::notice title=No proof to re-measure::the last commit of $STAGE_BRANCH is not its proof ($PROOF_FOLDER); once a proof is pushed, it is measured again here."',
    '  exit 0',
    'fi',
    'git update-ref "refs/heads/$BASE_BRANCH" "refs/remotes/origin/$BASE_BRANCH"',
    `${execPrefix(toolchain)} nx run "$STAGE_PROJECT:verify" --remeasure`,
    '',
  ].join('\n');
}

/** `git ls-remote --exit-code` exits 2 when the branch is absent; any other failure is a real error. */
const BRANCH_CHECK = [
  'if git ls-remote --exit-code --heads origin "refs/heads/$STAGE_BRANCH" > /dev/null; then',
  '  echo "exists=true" >> "$GITHUB_OUTPUT"',
  'else',
  '  status=$?',
  '  if [ "$status" -ne 2 ]; then exit "$status"; fi',
  '  echo "exists=false" >> "$GITHUB_OUTPUT"',
  '  echo "::notice title=Stage skipped::$STAGE_BRANCH is not on the remote yet; its gates run once it is pushed."',
  'fi',
  '',
].join('\n');

function setupSteps(toolchain: CiToolchain, nodeVersion: string, onBranch: string): Array<Record<string, unknown>> {
  const steps: Array<Record<string, unknown>> = [];
  // pnpm must be on the PATH before setup-node looks for its store; Yarn 2+ comes from corepack.
  if (toolchain.manager === 'pnpm') {
    steps.push({ name: 'Set up pnpm', if: onBranch, uses: 'pnpm/action-setup@v4', ...(toolchain.pnpmVersion ? { with: { version: toolchain.pnpmVersion } } : {}) });
  }
  if (toolchain.manager === 'yarn' && toolchain.yarnBerry) steps.push({ name: 'Enable corepack (Yarn 2+)', if: onBranch, shell: 'bash', run: 'corepack enable' });
  // setup-node's dependency cache needs a lock file to key on, and knows no bun.
  const cache = toolchain.lockFile && toolchain.manager !== 'bun' ? { cache: toolchain.manager } : {};
  steps.push({ name: 'Set up Node.js', if: onBranch, uses: 'actions/setup-node@v4', with: { 'node-version': nodeVersion, ...cache } });
  if (toolchain.manager === 'bun') steps.push({ name: 'Set up Bun', if: onBranch, uses: 'oven-sh/setup-bun@v2' });
  steps.push({ name: 'Install dependencies', if: onBranch, shell: 'bash', run: ciInstall(toolchain) });
  return steps;
}

/** The install that refuses to change the lock file, so CI tests what was committed. */
function ciInstall(toolchain: CiToolchain): string {
  switch (toolchain.manager) {
    case 'pnpm':
      return 'pnpm install --frozen-lockfile';
    case 'yarn':
      return toolchain.yarnBerry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile';
    case 'bun':
      return 'bun install --frozen-lockfile';
    // `npm ci` needs a lock file; without one there is nothing to keep frozen.
    default:
      return toolchain.lockFile ? 'npm ci' : 'npm install --no-audit --no-fund';
  }
}

function execPrefix(toolchain: CiToolchain): string {
  return toolchain.manager === 'pnpm' ? 'pnpm exec' : toolchain.manager === 'yarn' ? 'yarn' : 'npx';
}

function header(plan: Plan): string {
  return [
    ` Generated by \`nx g nx-stages:ci\` from the plan in ${displayText(plan.settings.folder)}/. Do not edit by hand:`,
    ' run the generator again whenever the plan changes (stages added, removed or re-ordered); it rewrites this file.',
    '',
    " One job per stage runs `nx run stage-<id>:gates` on the stage's own branch, `needs` following `dependsOn`.",
    ' A push to a stage branch, or a pull request from it, runs that stage; a manual run (workflow_dispatch) runs',
    ' every stage, dependencies first. A stage whose branch is not on the remote yet is skipped, not failed.',
    " When the branch's last commit is its proof, `nx run stage-<id>:verify --remeasure` then runs the gates again on",
    ' the commit the proof measured and fails the job when a verdict or a number differs: CI is the remeasuring party.',
  ].join('\n');
}

const JOBS_COMMENT = [
  " Every job's `if` starts with `!cancelled() && !failure()`. Without a status function GitHub adds `success()`,",
  " which is false when a job in `needs` was skipped: a push to a stage branch skips the other stages' jobs, and",
  ' with `success()` the stages depending on them would be skipped too. `!failure()` still skips the stages after',
  ' one whose gates failed (GitHub counts every ancestor job, not only the direct `needs`).',
].join('\n');
