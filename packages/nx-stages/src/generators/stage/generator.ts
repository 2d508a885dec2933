import { logger, type Tree } from '@nx/devkit';
import { stringify } from 'yaml';
import { invalidIdReason, slugify } from '../../core/ids';
import { joinPath, PLAN_FILE, STAGE_FILE } from '../../core/load-plan';
import type { Problem } from '../../core/model';
import { parseStage } from '../../core/parse-stage';
import { formatProblem, validatePlan } from '../../core/validate';
import { checkPlanFolder, loadTreeCommandPlan, splitFileList, splitList } from '../shared/tree-plan-source';
import { typedText } from '../shared/typed-text';
import { renderStageReadme } from './stage-readme';
import type { StageGeneratorSchema } from './schema';

/** Problems of the new stage that refuse it; overlaps are only warned about, validate fails on them. */
const REFUSING = new Set(['unknown-dependency', 'self-dependency', 'cycle', 'unknown-profile', 'stage-branch']);

export async function stageGenerator(tree: Tree, options: StageGeneratorSchema): Promise<void> {
  const folder = checkPlanFolder(options.plan);
  const planFile = joinPath(folder, PLAN_FILE);
  if (!tree.exists(planFile)) {
    throw new Error(`No plan at ${planFile}. Run \`nx g nx-stages:init\` first, or pass --plan=<folder>.`);
  }
  options = withTypedText(options);
  const id = (options.id ?? '').trim();
  const idProblem = invalidIdReason(id);
  if (idProblem) throw new Error(`Invalid stage id ${JSON.stringify(options.id)}: ${idProblem}. Use an id such as "9.1".`);

  const plan = loadTreeCommandPlan(tree, folder);
  const taken = plan.stages.find((stage) => stage.id === id);
  if (taken) throw new Error(`Stage ${id} already exists in ${taken.file}. Pick another id or edit that file.`);

  const stageFolder = joinPath(folder, slugify(options.name ?? '') ? `${id}-${slugify(options.name)}` : id);
  const stageFile = joinPath(stageFolder, STAGE_FILE);
  if (tree.exists(stageFolder)) throw new Error(`${stageFolder} already exists. Remove it or pick another id or name.`);

  const text = stageYaml(id, options);
  const parsed = parseStage(text, stageFile, stageFolder);
  const invalid = parsed.problems.filter((problem) => problem.severity === 'error');
  if (!parsed.stage || invalid.length > 0) {
    throw new Error(`Cannot create stage ${id}:\n${invalid.map((problem) => `  - ${describe(problem)}`).join('\n')}`);
  }

  const report = validatePlan({ ...plan, stages: [...plan.stages, parsed.stage] });
  const mine = report.checks.flatMap((check) => check.problems).filter((problem) => problem.stages?.includes(id));
  const refused = mine.filter((problem) => REFUSING.has(problem.code));
  if (refused.length > 0) {
    throw new Error(`Cannot create stage ${id}:\n${refused.map((problem) => `  - ${describe(problem)}`).join('\n')}`);
  }
  // Accepted here (the owner may move files later), so said as a warning; validate keeps it an error until fixed.
  for (const problem of mine.filter((problem) => problem.code === 'ownership-overlap' || problem.code === 'shared-file')) {
    const until = problem.severity === 'error' ? ` (created anyway; \`nx run ${plan.settings.name}:validate\` fails on it until it is fixed)` : '';
    logger.warn(`${formatProblem({ ...problem, severity: 'warning' })}${until}`);
  }

  tree.write(stageFile, text);
  tree.write(joinPath(stageFolder, 'README.md'), renderStageReadme(parsed.stage, plan.settings.name));
  logger.info(`Stage ${id} added in ${stageFolder}. Check the plan with \`nx run ${plan.settings.name}:validate\`.`);
}

/** Free-text options as the user typed them (see typedText: yargs reads 9.10 as 9.1). */
function withTypedText(options: StageGeneratorSchema): StageGeneratorSchema {
  const text = (value: unknown, option?: string) => (Array.isArray(value) ? value.map((item) => typedText(item, option) as string) : typedText(value, option));
  return {
    ...options,
    id: text(options.id) as string,
    name: text(options.name, 'name') as string,
    dependsOn: text(options.dependsOn, 'dependsOn'),
    assignee: text(options.assignee, 'assignee') as string | undefined,
    value: text(options.value, 'value') as string | undefined,
    deliverables: text(options.deliverables, 'deliverables'),
  };
}

function stageYaml(id: string, options: StageGeneratorSchema): string {
  const fields: Record<string, unknown> = {
    id,
    name: options.name,
    duration: options.duration ?? '1w',
    priority: options.priority ?? 'P1',
    dependsOn: splitList(options.dependsOn),
    files: splitFileList(options.files),
    profile: options.profile ?? 'default',
  };
  if (options.assignee !== undefined) fields.assignee = options.assignee;
  fields.deliverables = splitList(options.deliverables);
  if (options.value !== undefined && options.value.trim() !== '') fields.value = options.value;
  return stringify(fields, { lineWidth: 0, flowCollectionPadding: false });
}

/** The problem without its location: the file does not exist yet. */
function describe(problem: Problem): string {
  return problem.hint ? `${problem.message} — ${problem.hint}` : problem.message;
}

export default stageGenerator;
