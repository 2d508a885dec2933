import type { DoctorFacts, Finding } from './doctor';

/**
 * The doctor's ignore rules, judged from git's own answers (`git check-ignore -v`) rather than by
 * reading .gitignore files: git also applies nested .gitignore files, info/exclude and the user's
 * global excludes, and decides folder-only rules by what is on disk.
 */

/** The rule git reports deciding a path (`git check-ignore -v`); a negation (`!…`) un-ignores. */
export interface IgnoreRule {
  source: string;
  line: number;
  pattern: string;
}

/**
 * Paths asked about, chosen so that git's answer is the one that matters whether or not they
 * exist: a file inside a folder is matched by `folder/` rules even before the folder exists.
 */
export const IGNORE_PROBES = {
  envLocal: '.env.local',
  // Exact for a symlink or a missing node_modules; for a real folder, `node_modules/` rules match too.
  nodeModules: 'node_modules',
  // Never on disk, so rules that need a folder (`node_modules/`) cannot match it, as for a symlink.
  nodeModulesLink: 'nx-stages-doctor-probe/node_modules',
  nxCache: '.nx/cache/nx-stages-doctor-probe',
  nxWorkspaceData: '.nx/workspace-data/nx-stages-doctor-probe',
  stageProofs: 'stage-proofs/stage-nx-stages-doctor-probe/proof.json',
} as const;
export type IgnoreProbe = keyof typeof IGNORE_PROBES;
export type IgnoreAnswers = Record<IgnoreProbe, IgnoreRule | undefined>;

interface IgnoreNeed {
  probe: IgnoreProbe;
  entry: string;
  why: string;
}
const MUST_BE_IGNORED: IgnoreNeed[] = [
  { probe: 'envLocal', entry: '.env.local', why: "each stage worktree's .env.local holds its own port and would be committed" },
  { probe: 'nxCache', entry: '.nx/cache', why: "Nx's cache would be uncommitted files in every worktree" },
  { probe: 'nxWorkspaceData', entry: '.nx/workspace-data', why: "Nx's workspace data would be uncommitted files in every worktree" },
];

/** Each finding names the rule to add or the line to remove. */
export function ignoreFindings(ignores: DoctorFacts['ignores']): Finding[] {
  if (!isAnswers(ignores)) return [{ check: 'ignore', level: 'error', message: `ignore rules could not be read: ${ignores.error}`, fix: ignores.hint }];
  const findings: Finding[] = [];
  const fine: string[] = [];
  for (const need of MUST_BE_IGNORED) {
    const rule = ignores[need.probe];
    if (ignoring(rule)) fine.push(need.entry);
    else findings.push({ check: 'ignore', level: 'warning', message: `${need.entry} is not ignored: ${need.why}`, fix: unignoredFix(rule, need.entry) });
  }
  const modules = ignores.nodeModules;
  if (ignoring(modules) && (!modules.pattern.endsWith('/') || ignoring(ignores.nodeModulesLink))) fine.push('node_modules');
  else {
    // Without a node_modules folder on disk git applies no `node_modules/` rule, so a folder-only
    // rule shows only when there is one; either way a symlink is what matters.
    const folderOnly = ignoring(modules) ? ` (only as a folder: ${ruleAt(modules)})` : '';
    findings.push({
      check: 'ignore',
      level: 'warning',
      message: `node_modules is not ignored as a symlink${folderOnly}: a stage worktree's linked node_modules would be an uncommitted file`,
      fix: ignoring(modules) ? 'add this line to .gitignore: node_modules' : unignoredFix(modules, 'node_modules'),
    });
  }
  const proofs = ignores.stageProofs;
  if (ignoring(proofs)) {
    findings.push({ check: 'ignore', level: 'error', message: `stage-proofs/ is ignored (${ruleAt(proofs)}): proofs could not be committed`, fix: proofsFix(proofs) });
  }
  const committable = ignoring(proofs) ? '' : '; stage-proofs/ committable';
  if (fine.length > 0) findings.unshift({ check: 'ignore', level: 'ok', message: `ignored: ${fine.join(', ')}${committable}` });
  else if (committable) findings.push({ check: 'ignore', level: 'ok', message: 'stage-proofs/ committable' });
  return findings;
}

function isAnswers(ignores: DoctorFacts['ignores']): ignores is IgnoreAnswers {
  return !('error' in ignores && typeof ignores.error === 'string');
}

function ignoring(rule: IgnoreRule | undefined): rule is IgnoreRule {
  return rule !== undefined && !rule.pattern.startsWith('!');
}

function ruleAt(rule: IgnoreRule): string {
  return `${rule.source}:${rule.line}: ${rule.pattern}`;
}

function unignoredFix(rule: IgnoreRule | undefined, entry: string): string {
  // A negation is what un-ignores it: adding the entry before it would change nothing.
  return rule ? `remove line ${rule.line} of ${rule.source}: ${rule.pattern}` : `add this line to .gitignore: ${entry}`;
}

function proofsFix(rule: IgnoreRule): string {
  if (rule.pattern.includes('stage-proofs') && /(^|\/)\.gitignore$/.test(rule.source)) return `remove line ${rule.line} of ${rule.source}: ${rule.pattern}`;
  // A broader rule (`*.json`, `stage-*`): re-include the folder and what is in it, after that rule.
  return 'add these lines at the end of .gitignore: !stage-proofs/  and  !stage-proofs/**';
}
