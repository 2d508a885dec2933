import { availableParallelism } from 'node:os';
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { CANNOT_EXECUTE_EXIT, NOT_FOUND_EXIT, prefixLine, renderExecSummary, type ExecRun, type ExecStatus } from '../core/exec-summary';
import { parallelGroups } from '../core/graph';
import type { Plan } from '../core/model';
import { done, failed, refuse, type Outcome } from '../core/outcome';
import { stageBranch } from '../core/worktree-layout';
import { openRepository } from '../git/repository';
import { listWorktrees } from '../git/worktree-list';
import { splitLines } from '../io/line-splitter';
import { startProcessGroup, type ProcessGroup } from '../io/process-group';
import { unknownStage } from './unknown-stage';

export interface ExecOptions {
  /** The program and its arguments, passed to it as they are: no shell sees them. */
  command: readonly string[];
  /** `9.1,9.2`: only these stages; each must have a worktree. */
  stages?: string;
  /** A parallel group of the plan (`A`): its stages that have a worktree. */
  group?: string;
  /** How many commands run at once (default: the CPUs, at most the stages). */
  parallel?: string | number;
  /** Each line the commands print, prefixed with its stage id, on the stream it came on. */
  onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Progress for people: the stages skipped, an interrupt forwarded. */
  log?: (line: string) => void;
  /** Where the user stands: the table shows worktree paths relative to it (default: the root). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface ExecData {
  stages: ExecRun[];
  /** Stages left out because they have no worktree. */
  skipped: string[];
}

interface Target {
  id: string;
  path: string;
}

const CREATE_HINT = (ids: readonly string[]) => `Create ${ids.length === 1 ? 'it' : 'each'} with \`npx nx-stages worktree ${ids[0]}\`${ids.length > 1 ? ' (and so on)' : ''}.`;

/**
 * Runs one command in every stage worktree (or the chosen ones), a bounded number at a time,
 * its output passed on line by line as it comes. A Ctrl+C or SIGTERM to exec is forwarded to
 * each running command's process group; exec waits for them all, so nothing is left running.
 */
export async function execCommand(root: string, plan: Plan, options: ExecOptions): Promise<Outcome<ExecData>> {
  if (options.command.length === 0 || options.command[0] === '') return refuse('invalid-input', 'no command to run', 'Give it after `--`: `npx nx-stages exec -- npm test`.');
  if (options.stages !== undefined && options.group !== undefined)
    return refuse('invalid-input', '--stages and --group both given', 'Give one: --stages=<id,id> for those stages, --group=<letter> for a parallel group.');
  const parallel = options.parallel === undefined ? undefined : Number(options.parallel);
  if (parallel !== undefined && !(Number.isInteger(parallel) && parallel >= 1))
    return refuse(
      'invalid-input',
      `--parallel takes a whole number of 1 or more, not ${JSON.stringify(String(options.parallel))}`,
      'Leave it out to run as many at once as there are CPUs.',
    );

  const chosen = chooseStages(plan, options);
  if (!chosen.ok) return chosen.refusal;
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const worktrees = await listWorktrees(repository.value.root);
  if (!worktrees.ok) return failed(worktrees);
  const targets: Target[] = [];
  const skipped: string[] = [];
  for (const id of chosen.ids) {
    const branch = stageBranch(plan.settings, id);
    // A prunable worktree's folder is gone: there is nothing to run in.
    const worktree = worktrees.value.find((entry) => entry.branch === branch && !entry.prunable);
    if (worktree) targets.push({ id, path: worktree.path });
    else skipped.push(id);
  }
  if (options.stages !== undefined && skipped.length)
    return refuse(
      'not-found',
      `${skipped.length === 1 ? `stage ${skipped[0]} has` : `stages ${skipped.join(', ')} have`} no worktree (no checkout of ${skipped.map((id) => stageBranch(plan.settings, id)).join(', ')})`,
      CREATE_HINT(skipped),
    );
  if (targets.length === 0)
    return refuse('not-found', `no stage ${options.group === undefined ? '' : `of group ${chosen.group} `}has a worktree to run the command in`, CREATE_HINT(chosen.ids));
  if (skipped.length) options.log?.(`skipping ${skipped.length === 1 ? 'stage' : 'stages'} ${skipped.join(', ')}: no worktree (create one with \`npx nx-stages worktree <id>\`)`);

  const runs = await runEverywhere(targets, { ...options, parallel: Math.min(parallel ?? availableParallelism(), targets.length) });
  const data: ExecData = { stages: runs.runs, skipped };
  // git lists resolved paths: so is the folder they are shown relative to (macOS's /tmp is a link).
  const here = realpathSync(options.cwd ?? root);
  const text = renderExecSummary(runs.runs, { shown: (path) => relative(here, path) || '.', skipped, interrupted: runs.interrupted });
  if (runs.interrupted) return failed({ kind: 'interrupted', message: `interrupted by ${runs.interrupted}`, interrupted: runs.interrupted }, { text, data });
  const failing = runs.runs.filter((run) => run.status !== 'passed');
  if (failing.length)
    return failed({ kind: 'failed', message: `the command failed in ${failing.length === 1 ? 'stage' : 'stages'} ${failing.map((run) => run.id).join(', ')}` }, { text, data });
  return done(text, data);
}

type Chosen = { ok: true; ids: string[]; group?: string } | { ok: false; refusal: Outcome<never> };

/** The stage ids to run in, in the plan's order: named ones, a group's, or all. */
function chooseStages(plan: Plan, options: ExecOptions): Chosen {
  const all = plan.stages.map((stage) => stage.id);
  if (options.stages !== undefined) {
    const named = [...new Set(options.stages.split(',').map((id) => id.trim()))].filter((id) => id !== '');
    if (named.length === 0) return { ok: false, refusal: refuse('invalid-input', '--stages names no stage', 'Give ids separated by commas: --stages=9.1,9.2.') };
    const unknown = named.find((id) => !all.includes(id));
    if (unknown !== undefined) return { ok: false, refusal: unknownStage(plan, unknown) };
    return { ok: true, ids: all.filter((id) => named.includes(id)) };
  }
  if (options.group !== undefined) {
    const groups = parallelGroups(plan.stages);
    const group = options.group.trim().toUpperCase();
    const ids = all.filter((id) => groups.get(id) === group);
    if (ids.length === 0) {
      const known = [...new Set(groups.values())].sort((a, b) => a.length - b.length || a.localeCompare(b));
      return {
        ok: false,
        refusal: refuse(
          'not-found',
          `no parallel group ${JSON.stringify(options.group)} in ${plan.settings.file} (groups: ${known.join(', ') || 'none'})`,
          '`npx nx-stages list` shows each stage’s group.',
        ),
      };
    }
    return { ok: true, ids, group };
  }
  return { ok: true, ids: all };
}

/** Every target's run, at most `parallel` at once; stops starting new ones once interrupted. */
async function runEverywhere(targets: readonly Target[], options: ExecOptions & { parallel: number }): Promise<{ runs: ExecRun[]; interrupted?: NodeJS.Signals }> {
  const idWidth = Math.max(...targets.map((target) => target.id.length));
  const running = new Set<ProcessGroup>();
  const results = new Map<string, ExecRun>();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      // A second Ctrl+C: whatever ignored the first one is killed.
      options.log?.(`${signal} again: killing ${running.size} command(s)`);
      for (const group of running) group.signal('SIGKILL');
      return;
    }
    interrupted = signal;
    options.log?.(`${signal}: stopping ${running.size} running command(s) and waiting for them (again to kill them)`);
    for (const group of running) group.signal(signal);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);

  const runOne = async (target: Target) => {
    const say = (stream: 'stdout' | 'stderr') => splitLines((line) => options.onOutput?.(stream, prefixLine(target.id, idWidth, line)));
    const lines = { stdout: say('stdout'), stderr: say('stderr') };
    const [program, ...args] = options.command;
    const group = startProcessGroup(program, args, {
      cwd: target.path,
      env: options.env ?? process.env,
      onStdout: (chunk) => lines.stdout.push(chunk),
      onStderr: (chunk) => lines.stderr.push(chunk),
    });
    running.add(group);
    const exit = await group.exited;
    running.delete(group);
    lines.stdout.end();
    lines.stderr.end();
    const status: ExecStatus = exit.notFound ? 'not-found' : interrupted ? 'interrupted' : exit.exitCode === 0 ? 'passed' : 'failed';
    if (exit.startError) options.onOutput?.('stderr', prefixLine(target.id, idWidth, exit.startError));
    results.set(target.id, {
      id: target.id,
      path: target.path,
      exitCode: exit.notFound ? NOT_FOUND_EXIT : exit.startError ? CANNOT_EXECUTE_EXIT : exit.exitCode,
      signal: exit.signal ?? null,
      durationMs: exit.durationMs,
      status,
    });
  };

  const queue = [...targets];
  const worker = async () => {
    for (let target = queue.shift(); target && !interrupted; target = queue.shift()) await runOne(target);
  };
  try {
    await Promise.all(Array.from({ length: options.parallel }, worker));
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
  const runs = targets.map((target): ExecRun => results.get(target.id) ?? { id: target.id, path: target.path, exitCode: null, signal: null, durationMs: 0, status: 'not-run' });
  return { runs, ...(interrupted ? { interrupted } : {}) };
}
