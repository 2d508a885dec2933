import { logger, readNxJson, updateNxJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import { applyEdits, modify } from 'jsonc-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { doctorCommand } from '../../commands/doctor';
import { joinPath, loadPlan, PLAN_FILE } from '../../core/load-plan';
import { checkPlanFolder, treePlanSource } from '../shared/tree-plan-source';
import type { InitGeneratorSchema } from './schema';

const PLUGIN = 'nx-stages';

export async function initGenerator(tree: Tree, options: InitGeneratorSchema): Promise<GeneratorCallback> {
  const folder = checkPlanFolder(options.plan);
  registerPlugin(tree);
  const planFile = joinPath(folder, PLAN_FILE);
  if (!tree.exists(planFile)) {
    tree.write(planFile, readFileSync(join(__dirname, 'stages.yaml.template'), 'utf8'));
  }
  ensureIgnored(tree);
  const planProject = loadPlan(treePlanSource(tree), folder).settings.name;
  // After the files are written (never on --dry-run), git can judge the new ignore rules. Test
  // targets need Nx's project graph, which a generator is not given: the doctor target checks them.
  return async () => {
    const doctor = await doctorCommand(tree.root, folder, { problemsOnly: true });
    logger.info(['', ...doctor.text.split('\n'), `Test runners and coverage providers are checked by: nx run ${planProject}:doctor`].join('\n'));
  };
}

function registerPlugin(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  if (plugins.some((plugin) => (typeof plugin === 'string' ? plugin : plugin.plugin) === PLUGIN)) return;
  const text = tree.exists('nx.json') ? tree.read('nx.json', 'utf-8') : null;
  if (text === null) {
    updateNxJson(tree, { ...nxJson, plugins: [...plugins, PLUGIN] });
    return;
  }
  // One edit in the text, not the whole file written again: the rest of nx.json keeps its layout and comments.
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  const edits = nxJson.plugins ? modify(text, ['plugins', -1], PLUGIN, { isArrayInsertion: true, formattingOptions }) : modify(text, ['plugins'], [PLUGIN], { formattingOptions });
  tree.write('nx.json', applyEdits(text, edits));
}

/**
 * `.env.local` is written into every stage worktree and must never be committed. A
 * `node_modules/` entry (with the slash) does not match the symlink a worktree gets, so the
 * slash-less form is added too. Nx writes `.nx/cache` and `.nx/workspace-data` in every worktree.
 */
function ensureIgnored(tree: Tree): void {
  const existing = tree.exists('.gitignore') ? (tree.read('.gitignore', 'utf-8') ?? '') : '';
  const lines = existing.split(/\r?\n/).map((line) => line.trim());
  // Folders Nx creates may be written with a trailing slash; node_modules may not (see above).
  const forms = (entry: string, folder: boolean) => [entry, `/${entry}`, ...(folder ? [`${entry}/`, `/${entry}/`] : [])];
  const wanted: Array<[string, boolean]> = [
    ['.env.local', false],
    ['node_modules', false],
    ['.nx/cache', true],
    ['.nx/workspace-data', true],
  ];
  const missing = wanted.filter(([entry, folder]) => !forms(entry, folder).some((form) => lines.includes(form))).map(([entry]) => entry);
  if (missing.length === 0) return;
  const separator = existing === '' ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  tree.write('.gitignore', `${existing}${separator}# nx-stages: per-worktree settings, linked dependencies, Nx's local data\n${missing.join('\n')}\n`);
}

export default initGenerator;
