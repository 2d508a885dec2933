import type { ProjectConfiguration, TargetConfiguration } from '@nx/devkit';
import { parallelGroups } from '../core/graph';
import { stageProjectName } from '../core/ids';
import type { Plan, Stage } from '../core/model';
import { mergeSubjectPrefix, proofFileName, proofFolder } from '../core/conventions';

export const PLAN_TAG = 'stages-plan';
export const STAGE_TAG = 'stage';

/** Stage ids of the plan and the tags Nx shows for them: what a user filters `run-many` by. */
export function stageTags(stage: Stage, group: string | undefined): string[] {
  const tags = [STAGE_TAG, `stage-priority:${stage.priority}`];
  if (group) tags.push(`stage-group:${group}`);
  if (stage.assignee) tags.push(`stage-assignee:${stage.assignee}`);
  return tags;
}

/** Nx's view of a plan: the plan project plus one project per stage. */
export function planProjects(plan: Plan): Record<string, ProjectConfiguration> {
  const { settings } = plan;
  const groups = parallelGroups(plan.stages);
  const projects: Record<string, ProjectConfiguration> = {
    [settings.folder]: {
      root: settings.folder,
      name: settings.name,
      tags: [PLAN_TAG],
      metadata: { description: `Stage plan (${plan.stages.length} stages)`, technologies: ['nx-stages'] },
      targets: {
        validate: target('validate', 'Checks the plan: ids, dependencies, cycles, file ownership, shared files, sizing, value statements. --json for scripts.'),
        plan: target('plan', 'Writes PLAN.md: Mermaid dependency graph, parallel groups, schedule, critical path and savings. --teamSize=N for a team of N.'),
        clean: target(
          'clean',
          'Removes worktrees of merged stages (--deleteBranch: their branches too). Keeps anything with uncommitted files or later commits unless --force. --dryRun lists.',
        ),
        conflicts: target(
          'conflicts',
          'Forecast before anyone merges: every pair of unmerged stage branches and each against the base (git merge-tree, no checkout touched), merging all in dependency order, and ownership drift. --json.',
        ),
        // One at a time (parallelism false), like each stage's merge, so the two never race on the base.
        merge: {
          ...target(
            'merge',
            "The merge queue: every started, unmerged stage, one at a time in the plan's merge order (dependencies first, then group, priority, id — the order conflicts simulates), each proof re-checked right before its merge; stops at the first refusal.",
          ),
          parallelism: false,
        },
        status: target('status', 'One row per stage from git: branch, worktree, ahead/behind the base, uncommitted changes, merged, disk used. --json, --by=assignee.'),
        doctor: target(
          'doctor',
          'Lists what would stop the quality gates from measuring in this workspace (plugin, test runners and coverage providers, parallelism, ignore rules, the audit tool, the plan file) and the fix for each. --json.',
        ),
      },
    },
  };
  for (const stage of plan.stages) {
    const group = groups.get(stage.id);
    projects[stage.folder] = {
      root: stage.folder,
      name: stageProjectName(stage.id),
      tags: stageTags(stage, group),
      metadata: {
        description: `Stage ${stage.id}: ${stage.name}`,
        technologies: ['nx-stages'],
        stage: { id: stage.id, name: stage.name, group: group ?? null, duration: stage.duration, priority: stage.priority, dependsOn: stage.dependsOn },
      },
      targets: {
        gates: target(
          'gates',
          `Runs ${stage.id}'s gate profile "${stage.profile}" in its worktree: mandatory gates first, fast-fail, one Nx run of the task gates against the merge-base, tests measured by nx-stages. The result, bound to the commit, stays in the git common dir until proof commits it to ${proofFolder(stage.id)}/.`,
        ),
        proof: target(
          'proof',
          `Writes proof.json and ${proofFileName(stage.id)} from the latest gate results, commits them as "Stage ${stage.id} Complete" and tags stage-${stage.id}-complete. Refuses failed or stale results.`,
        ),
        verify: target('verify', `Exit 1 when the proof committed on ${stage.id}'s branch no longer matches its content or its numbers were edited.`),
        // ^merge: a stage merges after its dependencies; parallelism false: one merge at a time.
        merge: {
          ...target(
            'merge',
            `Merges ${stage.id}'s branch into the base (--no-ff, "${mergeSubjectPrefix(stage.id)}…") when its proof is valid and its dependencies are merged. A conflict aborts and leaves the base as it was.`,
          ),
          dependsOn: ['^merge'],
          parallelism: false,
        },
        sync: target(
          'sync',
          `Brings the base branch into ${stage.id}'s branch in its worktree (--strategy=rebase to rebase), then refreshes its dependencies when that changed a lock file or package.json (--refreshDependencies: always). A conflict aborts and names the files; nothing is resolved automatically.`,
        ),
        // continuous: a dev server runs until stopped (TargetConfiguration.continuous, since Nx 21.0.0:
        // "core: introduce continuous tasks (#29750)"; nx/src/config/workspace-json-project-json.d.ts).
        serve: {
          ...target(
            'serve',
            `Runs ${stage.id}'s dev server in its worktree on the stage's port (PORT of its .env.local; --port to choose): the app in its files with a serve target, or serve: in its stage.yaml. Stopped by Ctrl+C: the process group it started, never by port.`,
          ),
          continuous: true,
        },
      },
    };
  }
  return projects;
}

function target(executor: string, description: string): TargetConfiguration {
  return {
    executor: `nx-stages:${executor}`,
    cache: false,
    metadata: { description, technologies: ['nx-stages'] },
  };
}
