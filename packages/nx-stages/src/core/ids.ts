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

/** Natural order, so "9.2" sorts before "9.10". */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
