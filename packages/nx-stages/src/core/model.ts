import type { ProofSettings } from './proof-settings';
/**
 * The plan as plain data. Everything here is produced by the parsers in this folder and
 * consumed by the rules, the schedule and the renderers; nothing here knows about Nx or git.
 */

export const PRIORITIES = ['P0', 'P1', 'P2'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Where a value came from, so every message can point at the file and line. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export interface Stage {
  id: string;
  name: string;
  /** As written (`1.5w`), for display. */
  duration: string;
  /** Working days (1w = 5d). */
  durationDays: number;
  priority: Priority;
  dependsOn: string[];
  files: string[];
  profile: string;
  assignee?: string;
  deliverables: string[];
  value?: string;
  /** The dev server `nx run stage-<id>:serve` starts, when `stage.yaml` names it. */
  serve?: ServeChoice;
  /** Folder of the stage, relative to the workspace root, `/`-separated. */
  folder: string;
  /** Path of its `stage.yaml`, relative to the workspace root. */
  file: string;
  /** Line of each top-level field in `stage.yaml`, for messages. */
  lines: Record<string, number>;
}

/** `serve: { project: cart, target: serve }` in `stage.yaml`. */
export interface ServeChoice {
  project: string;
  target: string;
}

export type DependencySetup = 'link' | 'install' | 'none';
export const DEPENDENCY_SETUPS: readonly DependencySetup[] = ['link', 'install', 'none'];

export interface GateSettings {
  run?: string;
  tier?: 'mandatory' | 'recommended' | 'optional';
  threshold?: number;
  reports?: { junit?: string; coverage?: string };
  /** The other options a gate understands (target, allowSkipped, level): parse-gate-settings.ts lists them all and refuses any other. */
  [option: string]: unknown;
}

export interface PlanSettings {
  /** Name of the plan project in Nx (default `stages`). */
  name: string;
  /** Base branch; undefined = detect from git. */
  baseBranch?: string;
  /** Branch name pattern with `{id}` (default `stage-{id}`). */
  branchPattern: string;
  /** Worktree location pattern, relative to the workspace root, with `{repo}` and `{id}`. */
  worktreeDir: string;
  /** Ignored files copied into new worktrees (globs). */
  copyIgnored: string[];
  /** How a new worktree gets its dependencies. */
  dependencies: DependencySetup;
  ports: { base: number; step: number };
  /** Files that parallel stages must not both own (globs). */
  sharedFiles: string[];
  teamSize?: number;
  gates: Record<string, GateSettings>;
  profiles: Record<string, string[]>;
  /** What verify and merge require of a proof. */
  proofs: ProofSettings;
  /** The team's remote: a name, `none` (local only); undefined = `origin` when the repository has one. */
  remote?: string;
  /** Whether worktree, proof, merge and clean publish what they change, as with `--push`. */
  push?: boolean;
  /** Path of `stages.yaml`, relative to the workspace root. */
  file: string;
  /** Plan folder, relative to the workspace root (`.` when at the root). */
  folder: string;
  lines: Record<string, number>;
}

export type Severity = 'error' | 'warning';

/** A problem a user can act on: where, what, what to do. Errors are values, not exceptions. */
export interface Problem {
  severity: Severity;
  /** Stable machine-readable code, e.g. `unknown-dependency`. */
  code: string;
  message: string;
  /** What to do about it. */
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
  /** Stage ids the problem is about. */
  stages?: string[];
}

export interface Plan {
  settings: PlanSettings;
  /** Stages that parsed cleanly, in folder order. */
  stages: Stage[];
  /** Problems found while reading (parse errors, bad fields, stage files left out). */
  problems: Problem[];
}
