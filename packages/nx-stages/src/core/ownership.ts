import { normalizePattern, overlapExample, pathMatches, patternsOverlap } from './glob-overlap';
import { parallelPairs } from './graph';
import type { Problem, Stage } from './model';

/**
 * Two stages that may run in parallel must not own the same files: both branches would edit
 * them and the second merge would conflict. Files matched by a shared pattern (lock files,
 * package.json, migrations) get their own message, since the fix is coordination, not a split.
 */
export function ownershipProblems(stages: readonly Stage[], sharedFiles: readonly string[]): Problem[] {
  const byId = new Map(stages.map((stage) => [stage.id, stage]));
  const problems: Problem[] = [];
  for (const [firstId, secondId] of parallelPairs(stages)) {
    const first = byId.get(firstId)!;
    const second = byId.get(secondId)!;
    const clashes = overlappingEntries(first.files, second.files);
    const shared = sharedFiles.filter((pattern) => claims(first, pattern) && claims(second, pattern));
    const plain = clashes.filter(([, , example]) => !shared.some((pattern) => pathMatches(example, pattern)));
    const where = { file: second.file, line: second.lines.files, stages: [first.id, second.id] };
    if (plain.length > 0) {
      const listed = plain.slice(0, 3).map(([a, b, example]) => (a === b ? a : `${a} ~ ${b} (e.g. ${example})`));
      problems.push({
        severity: 'error',
        code: 'ownership-overlap',
        ...where,
        message: `stages ${first.id} and ${second.id} may run in parallel but both own ${listed.join(', ')}${plain.length > 3 ? ` and ${plain.length - 3} more` : ''}`,
        hint: `give those files to one stage, or make ${second.id} depend on ${first.id} (dependsOn)`,
      });
    }
    for (const pattern of shared) {
      problems.push({
        severity: 'error',
        code: 'shared-file',
        ...where,
        message: `stages ${first.id} and ${second.id} may run in parallel but both touch shared file ${pattern}`,
        hint: 'let one stage own it (the other asks that stage for the change), or order the two stages with dependsOn',
      });
    }
  }
  return problems;
}

/**
 * A stage claims a shared pattern when one of its entries names a shared file or lies inside
 * a shared folder (`package.json`, `db/migrations/**`). A broad entry such as `src/**` that
 * merely could contain a migration does not: test by the entry's shortest example path.
 */
function claims(stage: Stage, sharedPattern: string): boolean {
  return stage.files.some((entry) => {
    const example = overlapExample(entry, entry);
    return example !== undefined && pathMatches(example, sharedPattern);
  });
}

/** Overlapping pairs of entries, each with an example path both match. */
export function overlappingEntries(first: readonly string[], second: readonly string[]): Array<[string, string, string]> {
  const clashes: Array<[string, string, string]> = [];
  for (const a of first) {
    for (const b of second) {
      if (!mayOverlap(a, b)) continue;
      const example = overlapExample(a, b);
      if (example !== undefined) clashes.push([a, b, example]);
    }
  }
  return clashes;
}

/**
 * Cheap pre-filter before the exact check: patterns whose literal leading folders differ
 * can never overlap. Large plans compare thousands of pairs, most of them disjoint this way.
 */
function mayOverlap(a: string, b: string): boolean {
  const first = literalPrefix(a);
  const second = literalPrefix(b);
  const shorter = Math.min(first.length, second.length);
  for (let i = 0; i < shorter; i++) if (first[i] !== second[i]) return false;
  return patternsOverlap(a, b);
}

const prefixes = new Map<string, string[]>();
function literalPrefix(pattern: string): string[] {
  let prefix = prefixes.get(pattern);
  if (!prefix) {
    const segments = normalizePattern(pattern).split('/');
    const literal: string[] = [];
    // The last segment is left out: a literal file name may still be a folder prefix of the other.
    for (const segment of segments.slice(0, -1)) {
      if (/[*?[\]{}\\]/.test(segment)) break;
      literal.push(segment);
    }
    prefix = literal;
    prefixes.set(pattern, prefix);
  }
  return prefix;
}
