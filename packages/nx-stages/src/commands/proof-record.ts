import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GateOutcome, GatesResult } from '../core/gates/gates-result';
import { stripAnsi } from '../core/gates/nx-task-run';
import type { GatesStore } from '../io/gates-store';
import { safeFileName } from './gates/safe-file-name';
import type { ProofPaths } from '../core/conventions';

/** A gate summary keeps the end of the output, where runners put their verdict. */
const TAIL_LINES = 40;
const LINE_CHARS = 300;

/**
 * The compact record `proof` commits: the evidence files the numbers are re-derived from, and a
 * short text summary per gate (ANSI stripped, capped) — never raw logs or a project graph; those
 * stay in the gates store. Returns the result with paths as committed.
 */
export async function writeProofRecord(checkout: string, store: GatesStore, result: GatesResult, paths: ProofPaths): Promise<GatesResult> {
  await rm(join(checkout, paths.reports), { recursive: true, force: true });
  await rm(join(checkout, paths.committedEvidence('evidence')), { recursive: true, force: true });
  const evidence = [];
  for (const entry of result.evidence) {
    const committed = paths.committedEvidence(entry.path);
    await mkdir(dirname(join(checkout, committed)), { recursive: true });
    await writeFile(join(checkout, committed), await readFile(store.file(entry.path)));
    evidence.push({ ...entry, path: committed });
  }
  await mkdir(join(checkout, paths.reports), { recursive: true });
  const gates: GateOutcome[] = [];
  for (const [index, gate] of result.gates.entries()) {
    if (gate.report === null) {
      gates.push(gate);
      continue;
    }
    const summary = `${paths.reports}/gate-${index + 1}-${safeFileName(gate.name)}.txt`;
    await writeFile(join(checkout, summary), await gateSummary(store, gate));
    gates.push({ ...gate, report: summary });
  }
  return { ...result, evidence, gates };
}

async function gateSummary(store: GatesStore, gate: GateOutcome): Promise<string> {
  const read = (relative: string) => readFile(store.file(relative), 'utf8').catch(() => '');
  const lines = [`$ ${gate.command}`, `${gate.status}: ${gate.detail}`, ''];
  if (gate.tasks?.length) {
    lines.push('Nx tasks:');
    for (const task of gate.tasks) lines.push(`  ${task.id}: ${task.status}${task.cached ? ' (cache)' : ''}, exit ${task.code}, hash ${task.hash ?? 'none'}`);
    // Only a failing task's output says something a reviewer needs; passing ones are in the local log.
    for (const task of gate.tasks.filter((entry) => entry.status === 'failure')) {
      lines.push('', `--- ${task.id} (last lines) ---`, ...tail(await read(`logs/tasks/${safeFileName(task.id)}.log`)));
    }
  } else {
    lines.push(...tail(await read(gate.report ?? '')));
  }
  lines.push('', `Full output: <git common dir>/${store.relativeDir}/${gate.report ?? ''} on the machine that measured`);
  return `${lines.join('\n')}\n`;
}

function tail(text: string): string[] {
  const lines = stripAnsi(text)
    .replace(/\r/g, '')
    .split('\n')
    .filter((line, index, all) => line.trim() !== '' || (index > 0 && all[index - 1].trim() !== ''));
  const kept = lines.slice(-TAIL_LINES).map((line) => (line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)}…` : line));
  return lines.length > TAIL_LINES ? [`[… ${lines.length - TAIL_LINES} earlier lines]`, ...kept] : kept;
}
