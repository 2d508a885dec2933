/**
 * Stage ids end up in branch names, folder names, tags and commit messages, so they are
 * restricted to a charset that is safe in all of them — nothing a shell or git could read
 * as syntax, nothing that could climb out of a folder.
 */
export const MAX_ID_LENGTH = 64;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `id` is not a valid stage id, or undefined when it is. */
export function invalidIdReason(id: unknown): string | undefined {
  if (typeof id !== 'string' && typeof id !== 'number') return 'the id must be a string such as "9.1"';
  const text = String(id);
  if (text.length === 0) return 'the id is empty';
  if (text.length > MAX_ID_LENGTH) return `the id is ${text.length} characters long (at most ${MAX_ID_LENGTH})`;
  if (!ID_PATTERN.test(text)) {
    return 'ids use letters, digits, ".", "_" and "-" only, and start with a letter or digit';
  }
  // Git ref rules the charset alone does not exclude (git check-ref-format).
  if (text.includes('..')) return 'the id contains ".." (not allowed in paths or git refs)';
  if (text.endsWith('.')) return 'the id ends with "." (not allowed in git refs)';
  if (text.endsWith('.lock')) return 'the id ends with ".lock" (reserved by git)';
  return undefined;
}

/** Lower-case ASCII slug for folder names; empty when the name has no ASCII letters or digits. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** Nx project name of a stage. */
export function stageProjectName(id: string): string {
  return `stage-${id}`;
}

/**
 * The one order of stage ids, everywhere (plan, schedule, status, graph): natural, so "9.2" sorts
 * before "9.10", and otherwise by code point, so it is a total order that no locale changes
 * ("B" before "a", "x-1" before "x_1"). Digit runs land at odd indexes after the split.
 */
export function compareIds(a: string, b: string): number {
  const x = a.split(/(\d+)/);
  const y = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    if (i % 2 === 0) return x[i] < y[i] ? -1 : 1;
    const p = x[i].replace(/^0+/, '');
    const q = y[i].replace(/^0+/, '');
    if (p.length !== q.length) return p.length - q.length;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}
