import { logger, type Tree } from '@nx/devkit';
import { ciToolchain, nothingToRun, renderCiWorkflow, type CiToolchain } from '../../core/ci-workflow';
import { joinPath, PLAN_FILE } from '../../core/load-plan';
import type { Plan } from '../../core/model';
import { invalidRefReason } from '../../core/parse-settings';
import { formatProblem } from '../../core/validate';
import { detectBaseBranch, openRepository } from '../../git/repository';
import { checkPlanFolder, loadTreeCommandPlan, splitList } from '../shared/tree-plan-source';
import { typedText } from '../shared/typed-text';
import type { CiGeneratorSchema } from './schema';

export const DEFAULT_WORKFLOW = '.github/workflows/nx-stages.yml';

/** A GitHub Actions workflow running every stage's gates on its branch; see core/ci-workflow.ts. */
export async function ciGenerator(tree: Tree, options: CiGeneratorSchema): Promise<void> {
  const path = checkWorkflowPath(options.path ?? DEFAULT_WORKFLOW);
  const folder = checkPlanFolder(options.plan);
  const planFile = joinPath(folder, PLAN_FILE);
  if (!tree.exists(planFile)) throw new Error(`No plan at ${planFile}. Run \`nx g nx-stages:init\` first, or pass --plan=<folder>.`);
  const plan = loadTreeCommandPlan(tree, folder);
  const empty = nothingToRun(plan);
  if (empty) throw new Error(`${empty.message} ${empty.hint}`);
  warnAboutLeftOutStages(plan);

  const baseBranch = await ciBaseBranch(tree.root, plan, typedText(options.base, 'base'));
  const labels = splitList(options.runsOn ?? 'ubuntu-latest');
  const toolchain = toolchainOf(tree);
  const workflow = renderCiWorkflow(plan, {
    baseBranch,
    toolchain,
    nodeVersion: typedText(options.nodeVersion, 'nodeVersion') ?? '20',
    runsOn: labels.length === 1 ? labels[0] : labels,
  });
  if (!workflow.ok) throw new Error(`${workflow.message} ${workflow.hint}`);
  // Unchanged text is not rewritten, so a re-run after no plan change shows no change.
  if (!tree.exists(path) || tree.read(path, 'utf-8') !== workflow.text) tree.write(path, workflow.text);
  logger.info(
    `${path}: ${workflow.jobIds.size} stage job${workflow.jobIds.size === 1 ? '' : 's'}, pull requests to ${baseBranch}, ${toolchain.manager}. ` +
      'Commit it, and run `nx g nx-stages:ci` again whenever the plan changes.',
  );
}

function checkWorkflowPath(path: string): string {
  const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!/\.ya?ml$/.test(normalized) || normalized.startsWith('/') || normalized.split('/').includes('..')) {
    throw new Error(`"${path}" must be a .yml file inside the workspace, such as ${DEFAULT_WORKFLOW}.`);
  }
  if (!normalized.startsWith('.github/workflows/')) {
    logger.warn(`${normalized} is outside .github/workflows/, where GitHub looks for workflows; move it there for it to run.`);
  }
  return normalized;
}

/** Stage files with errors are not in the plan, so they get no job: say so rather than drop them silently. */
function warnAboutLeftOutStages(plan: Plan): void {
  const files = new Set(plan.problems.filter((problem) => problem.code === 'stage-left-out' || problem.code === 'duplicate-id').map((problem) => problem.file));
  const leftOut = plan.problems.filter((problem) => problem.severity === 'error' && files.has(problem.file));
  if (leftOut.length === 0) return;
  logger.warn(
    `These stage files get no CI job until they are fixed (\`nx run ${plan.settings.name}:validate\` lists every problem):\n` +
      leftOut.map((problem) => `  - ${formatProblem(problem)}`).join('\n'),
  );
}

/** The base named by --base or the plan; else the one git detects (reading only, nothing changes). */
async function ciBaseBranch(root: string, plan: Plan, option: string | undefined): Promise<string> {
  const named = option ?? plan.settings.baseBranch;
  if (named !== undefined) {
    const reason = invalidRefReason(named);
    if (reason) throw new Error(`Invalid base branch "${named}" (from ${option !== undefined ? '--base' : plan.settings.file}): it ${reason}. Name a branch such as main.`);
    return named;
  }
  const repository = await openRepository(root);
  const detected = repository.ok ? await detectBaseBranch(repository.value.root) : repository;
  if (!detected.ok) {
    throw new Error(`${detected.message.replace(/\.$/, '')}. Set baseBranch in ${plan.settings.file}, or pass --base=<branch>, to say which branch the stages merge into.`);
  }
  return detected.value;
}

/** Package manager and lock file, judged from the workspace root as the Tree has it. */
function toolchainOf(tree: Tree): CiToolchain {
  const files = tree.children('.');
  const packageJson = files.includes('package.json') ? (tree.read('package.json', 'utf-8') ?? undefined) : undefined;
  // lockfileVersion is the first line; the rest of a lock file can be megabytes.
  const pnpmLock = files.includes('pnpm-lock.yaml') ? tree.read('pnpm-lock.yaml', 'utf-8')?.slice(0, 500) : undefined;
  return ciToolchain(files, packageJson, pnpmLock);
}

export default ciGenerator;
