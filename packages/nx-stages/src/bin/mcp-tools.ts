// The MCP server's tools, one entry each: its schemas, what it tells an agent, and the verb it
// calls — the same calls as the bin's verbs. Each returns an Outcome; mcp-result turns it into
// the tool's result.
import { z } from 'zod';
import { conflictsCommand } from '../commands/conflicts';
import { readyCommand } from '../commands/list';
import { mergeStageCommand } from '../commands/merge';
import { mergePreviewCommand } from '../commands/merge-preview';
import { runGatesCommand } from '../commands/gates';
import { statusCommand } from '../commands/status';
import { unknownStage } from '../commands/unknown-stage';
import { verifyCommand } from '../commands/verify';
import { worktreeCommand } from '../commands/worktree';
import type { Plan, Stage } from '../core/model';
import { done, type Outcome } from '../core/outcome';
import { holdByForecast } from '../core/ready-forecast';

export interface ToolContext {
  root: string;
  /** Read from disk for this call: a plan edited while the server runs is seen. */
  plan: Plan;
  /** Progress of a long call (gates, an install): stderr and MCP notifications. */
  log: (line: string) => void;
}

export interface Tool<I extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: z.ZodRawShape;
  readOnly: boolean;
  run: (args: z.infer<z.ZodObject<I>>, context: ToolContext) => Promise<Outcome>;
}

/** Keeps each entry's `run` typed by its own input schema. */
const tool = <I extends z.ZodRawShape>(spec: Tool<I>): Tool => spec as unknown as Tool;

const id = z.string().min(1).describe('The stage id, as in stage.yaml (e.g. "9.1")');
const base = z.string().min(1).optional().describe("The base branch; default: the plan's base");
const listedStage = z.looseObject({ id: z.string(), name: z.string(), group: z.string().nullable(), dependsOn: z.array(z.string()) });

/** The stage of `args.id` in this call's plan, or the not-found outcome naming the nearest id. */
function withStage(context: ToolContext, stageId: string, run: (stage: Stage) => Promise<Outcome>): Promise<Outcome> {
  const stage = context.plan.stages.find((candidate) => candidate.id === stageId);
  return stage ? run(stage) : Promise.resolve(unknownStage(context.plan, stageId));
}

/** Adds fields the tool's schema promises to whatever data the verb's outcome carries. */
function withData(outcome: Outcome, fields: Record<string, unknown>): Outcome {
  return { ...outcome, data: { ...(outcome.data as object | undefined), ...fields } };
}

export const TOOLS: Tool[] = [
  tool({
    name: 'status',
    title: 'Status of every stage',
    description: 'One row per stage of the plan, from git: branch, worktree, ahead/behind the base, uncommitted files, merged, gates and proof state.',
    input: {},
    output: { base: z.string(), stages: z.array(z.looseObject({ id: z.string(), name: z.string(), branch: z.string(), merged: z.boolean() })) },
    readOnly: true,
    run: async (_args, { root, plan }) => statusCommand(root, plan),
  }),
  tool({
    name: 'ready',
    title: 'Stages ready to start',
    description:
      'The stages someone can start now: not started, every dependency merged, and no stage in progress touching their files in the conflicts forecast. `held` lists the stages that wait for the forecast, with the stages and files in the way.',
    input: {},
    output: { base: z.string(), stages: z.array(listedStage), held: z.array(z.object({ id: z.string(), on: z.array(z.string()), files: z.array(z.string()) })) },
    readOnly: true,
    run: async (_args, { root, plan }) => {
      const ready = await readyCommand(root, plan);
      if (!ready.ok || !ready.data) return ready;
      const forecast = await conflictsCommand(root, plan);
      // A forecast that finds conflicts is still a forecast; one that could not be made is the failure.
      if (!forecast.data) return forecast;
      const byId = new Map(plan.stages.map((stage) => [stage.id, stage]));
      const candidates = ready.data.stages.map((listed) => ({ ...listed, files: byId.get(listed.id)?.files ?? [] }));
      const { free, held } = holdByForecast(candidates, forecast.data);
      const stages = free.map(({ files: _files, ...listed }) => listed);
      const waits = held.map((hold) => `stage ${hold.id} waits: stage ${hold.on.join(', ')} in progress touches ${hold.files.join(', ')}`);
      const text = held.length === 0 ? ready.text : [stages.length ? `ready: ${stages.map((stage) => stage.id).join(', ')}` : 'no stage is free to start', ...waits].join('\n');
      return done(text, { base: ready.data.base, stages, held });
    },
  }),
  tool({
    name: 'forecast',
    title: 'Conflicts forecast',
    description:
      'Merges every pair of unmerged stage branches and each against the base in memory (git merge-tree), and the whole set in merge order; also the files each branch changed outside its own. Touches nothing. A forecast that finds a conflict is an error result that still carries the forecast.',
    input: { base },
    output: {
      base: z.string(),
      success: z.boolean(),
      stages: z.array(z.looseObject({ id: z.string(), state: z.string() })),
      conflicts: z.array(z.looseObject({ stages: z.array(z.string()), files: z.array(z.string()) })),
      baseConflicts: z.array(z.looseObject({ stage: z.string(), files: z.array(z.string()) })),
      drift: z.array(z.looseObject({ stage: z.string(), files: z.array(z.string()) })),
    },
    readOnly: true,
    run: async (args, { root, plan }) => conflictsCommand(root, plan, { base: args.base }),
  }),
  tool({
    name: 'create_worktree',
    title: 'Create a stage worktree',
    description:
      "Creates the stage's branch and worktree beside the workspace (as `nx g nx-stages:worktree`): .env.local with its port, dependencies linked or installed. Returns its path.",
    input: {
      id,
      stack: z.boolean().optional().describe('Start from the unmerged branches of its dependencies'),
      base,
      dependencies: z.enum(['link', 'install', 'none']).optional().describe('How node_modules is set up; default: the plan setting'),
      dryRun: z.boolean().optional().describe('Say what would be created, create nothing'),
    },
    output: { stage: z.string(), path: z.string().nullable(), dryRun: z.boolean() },
    readOnly: false,
    run: (args, context) =>
      withStage(context, args.id, async (stage) => {
        const options = { stack: args.stack === true, base: args.base, dependencies: args.dependencies, dryRun: args.dryRun === true };
        const created = await worktreeCommand(context.root, context.plan, stage.id, options, context.log);
        return withData(created, { stage: stage.id, path: created.ok && !options.dryRun ? (created.data?.path ?? null) : null, dryRun: options.dryRun });
      }),
  }),
  tool({
    name: 'run_gates',
    title: "Run a stage's quality gates",
    description:
      "Runs the stage's gates in its worktree (as `nx run stage-<id>:gates`); progress comes as log and progress notifications. An unchanged stage reuses its last result unless `force`. A failing gate is an error result that still carries the result.",
    input: {
      id,
      force: z.boolean().optional().describe('Measure again even when nothing changed'),
      parallel: z.number().int().min(1).optional().describe("Nx parallelism inside the stage's gates"),
      fastFail: z.boolean().optional().describe('Stop at the first mandatory gate that fails (default true)'),
      base,
    },
    output: { stage: z.string(), skipped: z.string().optional() },
    readOnly: false,
    run: (args, context) =>
      withStage(context, args.id, async (stage) => {
        const { force, parallel, fastFail, base: baseBranch } = args;
        return runGatesCommand(context.root, context.plan, stage, { force, parallel, fastFail, base: baseBranch, log: context.log });
      }),
  }),
  tool({
    name: 'verify',
    title: "Verify a stage's proof",
    description:
      "Checks the proof committed on the stage's branch at the plan's trust level (checksum, signed or remeasured); `remeasure` runs the gates again on the proof's commit.",
    input: { id, remeasure: z.boolean().optional().describe('Run the gates again on the measured commit and compare') },
    output: { stage: z.string(), valid: z.boolean().optional(), problems: z.array(z.string()).optional(), skipped: z.string().optional() },
    readOnly: true,
    run: (args, context) => withStage(context, args.id, async (stage) => verifyCommand(context.root, context.plan, stage, { remeasure: args.remeasure, log: context.log })),
  }),
  tool({
    name: 'merge',
    title: 'Merge a proven stage',
    description:
      'A DRY RUN unless `confirm: true`: checks the branch, the dependencies, the proof and the base checkout, forecasts the merge, and says what would be merged into what, changing nothing. With `confirm: true` merges the proven commit into the base (as `nx run stage-<id>:merge`).',
    input: {
      id,
      confirm: z.boolean().optional().describe('Really merge; without it the call is a dry run'),
      base,
      cleanup: z.boolean().optional().describe("With confirm: remove the stage's worktree once merged"),
      deleteBranch: z.boolean().optional().describe('With cleanup: delete the branch too'),
    },
    output: {
      stage: z.string(),
      dryRun: z.boolean(),
      base: z.string().optional(),
      branch: z.string().optional(),
      wouldMerge: z.boolean().optional(),
      commit: z.string().nullable().optional(),
      checkout: z.string().nullable().optional(),
      message: z.string().optional(),
    },
    readOnly: false,
    run: (args, context) =>
      withStage(context, args.id, async (stage) => {
        if (args.confirm !== true) return mergePreviewCommand(context.root, context.plan, stage, { base: args.base });
        const merged = await mergeStageCommand(context.root, context.plan, stage, { base: args.base, cleanup: args.cleanup, deleteBranch: args.deleteBranch });
        return withData(merged, { stage: stage.id, dryRun: false });
      }),
  }),
];
