import type { Tree } from '@nx/devkit';
import { DEFAULT_PLAN_FOLDER, loadPlan, requireValidSettings, type PlanSource } from '../../core/load-plan';
import type { Plan } from '../../core/model';
import { splitGlobs } from '../../core/split-globs';

/** The plan as the generator's Tree sees it, including changes not yet written (dry runs stay honest). */
export function treePlanSource(tree: Tree): PlanSource {
  return {
    read: (path) => (tree.exists(path) && tree.isFile(path) ? (tree.read(path, 'utf-8') ?? undefined) : undefined),
    subfolders: (path) => (tree.exists(path) ? tree.children(path).filter((child) => !tree.isFile(`${path}/${child}`)) : []),
  };
}

/** The plan a generator works on; throws when its settings have errors (validate's lines), never guessing defaults. */
export function loadTreeCommandPlan(tree: Tree, folder: string): Plan {
  return requireValidSettings(loadPlan(treePlanSource(tree), folder));
}

/** Options given as `a,b` on the command line or as a list by Nx Console. */
export function splitList(value: string | string[] | undefined): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `--files`: like splitList, but a comma inside a glob's `{…}` or `[…]` does not split it (`a/{b,c}/**` is one glob). */
export function splitFileList(value: string | string[] | undefined): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((item) => splitGlobs(String(item)));
}

/** The plan folder of a `--plan` option (default `stages`); it must stay inside the workspace. */
export function checkPlanFolder(folder: string = DEFAULT_PLAN_FOLDER): string {
  const normalized = folder.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '') || '.';
  if (normalized.startsWith('/') || normalized.split('/').includes('..')) {
    throw new Error(`The plan folder "${folder}" is outside the workspace. Use a relative folder such as "stages".`);
  }
  return normalized;
}
