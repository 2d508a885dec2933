import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathMatches } from '../../core/glob-overlap';
import type { EvidenceText } from '../../core/gates/evidence';
import type { Evidence } from '../../core/gates/gates-result';
import { gitText } from '../../git/run';

/** Folders no report is looked for in: dependencies, git's own, Nx's cache and the proofs. */
const SKIPPED = new Set(['node_modules', '.git', '.nx', 'stage-proofs']);

export interface EvidenceGlobs {
  junit: string;
  coverage: string;
}

/** Checkout-relative paths of files matching either glob, outside the skipped folders. */
export async function findReportFiles(checkout: string, globs: EvidenceGlobs): Promise<{ path: string; kind: Evidence['kind']; mtimeMs: number }[]> {
  const found: { path: string; kind: Evidence['kind']; mtimeMs: number }[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(checkout, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) await walk(path);
      } else if (entry.isFile()) {
        const kind = pathMatches(path, globs.junit) ? 'junit' : pathMatches(path, globs.coverage) ? 'coverage' : undefined;
        if (kind) found.push({ path, kind, mtimeMs: (await stat(join(checkout, path))).mtimeMs });
      }
    }
  };
  await walk('');
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Report files present before a run, with their modification times. */
export type ReportsBefore = Map<string, number>;

/**
 * Removes report files left by earlier runs, so that Nx writes or restores them anew (it skips
 * restoring outputs from its cache when identical files are on disk, and a restored file keeps
 * its cached modification time). Only files git ignores are removed: a tracked or
 * untracked-but-kept file is never touched. Returns what is left, to tell it apart afterwards.
 */
export async function clearOldReports(checkout: string, globs: EvidenceGlobs): Promise<ReportsBefore> {
  const files = (await findReportFiles(checkout, globs)).map((file) => file.path);
  for (let i = 0; i < files.length; i += 200) {
    // ls-files lists which of these git ignores (check-ignore has no -z without --stdin).
    const literal = files.slice(i, i + 200).map((path) => `:(literal)${path}`);
    const listed = await gitText(checkout, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--', ...literal]);
    if (!listed.ok) continue;
    for (const ignored of listed.value.split('\0').filter(Boolean)) await unlink(join(checkout, ignored)).catch(() => undefined);
  }
  return new Map((await findReportFiles(checkout, globs)).map((file) => [file.path, file.mtimeMs]));
}

/**
 * Copies the report files this run wrote (new since `before`, or changed) into the gates store's
 * evidence folder, with their hashes: `verify` re-derives the proof's numbers from these copies.
 * Paths in the answer are relative to `storeDir` (the proof commits them under its folder).
 * A report the run created where nothing was before, and that git does not track, is then removed
 * from the checkout: the copy in the store is the evidence, and the working tree is left as the
 * gates found it (no untracked junit.xml for sync, clean, status or proof to trip over). A file
 * that was there before the run, or that git tracks, is never touched.
 */
export async function keepEvidence(
  checkout: string,
  globs: EvidenceGlobs,
  before: ReportsBefore,
  storeDir: string,
  prefix: string,
): Promise<{ evidence: Evidence[]; texts: EvidenceText[] }> {
  const written = (await findReportFiles(checkout, globs)).filter((file) => before.get(file.path) !== file.mtimeMs);
  const evidence: Evidence[] = [];
  const texts: EvidenceText[] = [];
  await mkdir(join(storeDir, 'evidence'), { recursive: true });
  for (const [index, file] of written.entries()) {
    const content = await readFile(join(checkout, file.path), 'utf8');
    texts.push(await keepText(storeDir, `${prefix}-${index + 1}-${file.path.replace(/[/\\]/g, '__')}`, file.kind, content));
    evidence.push({ path: texts[texts.length - 1].path, kind: file.kind, sha256: sha256(content) });
  }
  await removeCreatedUntracked(
    checkout,
    written.filter((file) => !before.has(file.path)).map((file) => file.path),
  );
  return { evidence, texts };
}

async function removeCreatedUntracked(checkout: string, created: readonly string[]): Promise<void> {
  for (let i = 0; i < created.length; i += 200) {
    const literal = created.slice(i, i + 200).map((path) => `:(literal)${path}`);
    // --others without --exclude-standard: every untracked file of these, ignored or not.
    const listed = await gitText(checkout, ['ls-files', '-z', '--others', '--', ...literal]);
    if (!listed.ok) continue;
    for (const untracked of listed.value.split('\0').filter(Boolean)) await unlink(join(checkout, untracked)).catch(() => undefined);
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Writes one evidence file into the store; its store-relative path and text. */
export async function keepText(storeDir: string, name: string, kind: Evidence['kind'], content: string): Promise<EvidenceText> {
  const path = `evidence/${name}`;
  await mkdir(join(storeDir, 'evidence'), { recursive: true });
  await writeFile(join(storeDir, path), content);
  return { path, kind, content };
}

export function evidenceEntry(text: EvidenceText): Evidence {
  return { path: text.path, kind: text.kind, sha256: sha256(text.content) };
}
