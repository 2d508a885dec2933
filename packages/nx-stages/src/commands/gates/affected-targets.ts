import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGraphTargets } from './checkout-nx';

export interface AffectedTargets {
  /** Affected projects that have `target`. */
  projectsWith(target: string): string[];
}

/**
 * Which projects the stage affects and which targets they have, asked once per gates run (two Nx
 * calls at once) instead of once per gate: `nx show projects --affected` and `nx graph --file`.
 * Output goes to files, not pipes: Nx 24 can exit before a piped stdout is flushed.
 */
export async function readAffectedTargets(
  nxBin: string,
  checkout: string,
  env: NodeJS.ProcessEnv,
  base: string,
  scratch: string,
): Promise<AffectedTargets | { error: string }> {
  const affectedFile = join(scratch, 'affected-projects.json');
  const graphFile = join(scratch, 'project-graph.json');
  const [affected, graph] = await Promise.all([
    runNx(nxBin, ['show', 'projects', '--affected', `--base=${base}`, '--json'], checkout, env, affectedFile),
    runNx(nxBin, ['graph', `--file=${graphFile}`], checkout, env, join(scratch, 'project-graph.log')),
  ]);
  if (affected !== 0) return { error: `nx show projects --affected failed (exit ${affected}): ${tail(affectedFile)}` };
  if (graph !== 0) return { error: `nx graph --file failed (exit ${graph}): ${tail(join(scratch, 'project-graph.log'))}` };
  let names: string[];
  try {
    names = JSON.parse(readFileSync(affectedFile, 'utf8').trim() || '[]') as string[];
  } catch {
    return { error: `nx show projects --affected printed something other than JSON: ${tail(affectedFile)}` };
  }
  const targets = readGraphTargets(graphFile);
  return { projectsWith: (target) => names.filter((name) => targets.get(name)?.has(target)).sort() };
}

/** Runs nx with stdout in `outputFile` and stderr beside it (plugins print warnings there). */
function runNx(nxBin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, outputFile: string): Promise<number> {
  const out = openSync(outputFile, 'w');
  const err = openSync(`${outputFile}.stderr`, 'w');
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [nxBin, ...args], { cwd, env, stdio: ['ignore', out, err] });
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
  }).finally(() => {
    closeSync(out);
    closeSync(err);
  });
}

/** The last lines nx wrote, for an error message. */
function tail(file: string): string {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      return '';
    }
  };
  return [read(file), read(`${file}.stderr`)].filter(Boolean).join('\n').split('\n').slice(-5).join(' | ') || 'no output';
}
