import { relative } from 'node:path';
import { parallelGroups } from '../core/graph';
import { failedMandatory } from '../core/gates/gates-result';
import type { Plan, Stage } from '../core/model';
import type { WaitingStage } from '../core/ready';
import type { ServerRecord, WorktreeResources } from '../core/serve-report';
import { renderStatus, statusReadiness, type StageStatus, type StatusRemote } from '../core/status-report';
import { stageBranch } from '../core/worktree-layout';
import { aheadBehind, uncommittedChanges } from '../git/changes';
import { openRepository } from '../git/repository';
import { lockHolder } from '../git/lock';
import { stageMergedForTeam } from '../git/stage-merged';
import { teamView } from './team-view';
import { listWorktrees, pruneWorktrees } from '../git/worktree-list';
import { readGatesResult, resultStaleness } from './gates-result-file';
import { proofPaths } from '../core/conventions';
import { resolveBase } from './resolve-base';
import { verifyStageProof } from './verify';
import { done, failed, type Outcome } from '../core/outcome';
import { diskUsage, worktreeResources } from '../io/resources';
import { runningServers } from '../io/servers';

export interface StatusOptions {
  /** One table per assignee (the team overview); the data stays one list. */
  by?: 'assignee';
  /** Fetch the remote first (never done implicitly). */
  fetch?: boolean;
  /** "fetched … ago" and "running for" are counted from this time (tests pin it). */
  now?: Date;
  /** Each stage worktree's processes, memory and disk too. */
  resources?: boolean;
}

/** The `--json` document of status: scripts read it (README, e2e). */
export interface StatusData {
  base: string;
  /** The remote the branches were read from too, and when it was last fetched; null = local only. */
  remote: StatusRemote | null;
  stages: StageStatus[];
  /** Stages that can start now: not started, not merged, every dependency merged. */
  ready: string[];
  /** Stages not started that wait for dependencies to merge, and which. */
  waiting: WaitingStage[];
  /** The stage dev servers running now (nx run stage-<id>:serve). */
  servers: ServerRecord[];
  /** With `resources`: what each stage worktree takes (processes, memory, disk). */
  resources?: WorktreeResources[];
}

/**
 * One row per stage, derived from git itself (`git worktree list`, refs): nothing is recorded
 * by nx-stages, so nothing can drift. Records of worktrees whose folder is gone are pruned first.
 */
export async function statusCommand(root: string, plan: Plan, options: StatusOptions = {}): Promise<Outcome<StatusData>> {
  const repository = await openRepository(root);
  if (!repository.ok) return failed(repository);
  const repoRoot = repository.value.root;
  const base = await resolveBase(repoRoot, plan.settings);
  if (!base.ok) return failed(base);
  const baseBranch = base.value;
  const branches = plan.stages.map((stage) => stageBranch(plan.settings, stage.id));
  const team = await teamView(repository.value, plan, baseBranch, branches, options);
  if (!team.ok) return failed(team);
  await pruneWorktrees(repoRoot);
  const worktrees = await listWorktrees(repoRoot);
  if (!worktrees.ok) return failed(worktrees);
  const groups = parallelGroups(plan.stages);

  const rows: StageStatus[] = [];
  const checkouts: Array<{ stage: string; path: string; diskBytes: number }> = [];
  for (const stage of plan.stages) {
    const branch = stageBranch(plan.settings, stage.id);
    const copy = team.value.copies.get(branch);
    const exists = Boolean(copy?.local);
    // A teammate's stage: its branch as the remote has it, read without a checkout.
    const tip = exists ? branch : copy?.remote ? team.value.remoteRef(branch) : undefined;
    const worktree = worktrees.value.find((entry) => entry.branch === branch);
    const counts = tip ? await aheadBehind(repoRoot, tip, team.value.countBase) : undefined;
    if (counts && !counts.ok) return failed(counts);
    const changes = worktree ? await uncommittedChanges(worktree.path) : undefined;
    if (changes && !changes.ok) return failed(changes);
    const merged = await stageMergedForTeam(repoRoot, { id: stage.id, branch }, baseBranch, team.value.refsOf(branch));
    if (!merged.ok) return failed(merged);
    const diskBytes = worktree ? await diskUsage(worktree.path) : null;
    if (worktree && diskBytes !== null) checkouts.push({ stage: stage.id, path: worktree.path, diskBytes });
    rows.push({
      id: stage.id,
      name: stage.name,
      group: groups.get(stage.id) ?? null,
      dependsOn: stage.dependsOn,
      assignee: stage.assignee ?? null,
      branch,
      branchExists: exists,
      copy: team.value.remote ? (copy?.relation ?? 'none') : null,
      worktree: worktree ? relative(root, worktree.path) || '.' : null,
      ahead: counts?.value.ahead ?? null,
      behind: counts?.value.behind ?? null,
      uncommitted: changes?.value.length ?? null,
      merged: merged.value,
      gates: worktree ? await gatesState(repository.value.commonDir, worktree.path, stage.id) : null,
      proof: tip ? await proofState(repoRoot, plan, stage, exists ? undefined : tip) : null,
      diskBytes,
    });
  }
  const remote: StatusRemote | null = team.value.remote ? { name: team.value.remote, ...(team.value.fetchedAt ? { fetchedAt: team.value.fetchedAt } : {}) } : null;
  // Records of servers whose process is gone are dropped here (io/servers): status shows what runs.
  const servers = runningServers(repository.value.commonDir);
  const resources = options.resources ? await worktreeResources(checkouts) : undefined;
  const text = renderStatus(rows, baseBranch, { by: options.by, now: options.now, servers, ...(remote ? { remote } : {}), ...(resources ? { resources } : {}) });
  return done(text.join('\n'), { base: baseBranch, remote, stages: rows, ...statusReadiness(rows), servers, ...(resources ? { resources } : {}) });
}

/** Running now, else the latest gates result and whether it still describes the worktree's content. */
async function gatesState(commonDir: string, worktree: string, id: string): Promise<StageStatus['gates']> {
  if (await lockHolder(commonDir, `gates-stage-${id}`)) return 'running';
  const paths = proofPaths(id);
  const result = await readGatesResult(commonDir, id);
  if (!result) return null;
  if (await resultStaleness(worktree, result, paths)) return 'stale';
  return failedMandatory(result.gates).length ? 'fail' : 'pass';
}

/** The proof committed on the branch (`ref`: a teammate's, read from the remote's copy). */
async function proofState(root: string, plan: Plan, stage: Stage, ref?: string): Promise<StageStatus['proof']> {
  // Never remeasured here: status must stay quick (merge and verify do it).
  const trust = plan.settings.proofs.trust === 'remeasured' ? 'checksum' : plan.settings.proofs.trust;
  const verification = await verifyStageProof(root, plan, stage, { trust, ...(ref ? { ref } : {}) });
  if (verification.valid) return 'valid';
  return verification.proof ? 'invalid' : null;
}
