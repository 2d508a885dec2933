import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * The floors of src/, bottom first (ARCHITECTURE.md). A file may import its own floor and the
 * floors below it; folders sharing a floor (the adapters) do not import one another. The files
 * at the top of src/ (index.ts) are the package's entry and sit above everything.
 */
const FLOORS: Record<string, number> = { core: 0, git: 1, io: 2, commands: 3, executors: 4, generators: 4, bin: 4, plugin: 5 };
const ENTRY = 6;

/** Modules core must not touch: it is the method as data, tested with plain values. */
const IMPURE_IN_CORE = /^(node:)?(fs|fs\/promises|child_process)$|^nx(\/|$)|^@nx\/|^simple-git$/;

/**
 * Wrong-way imports allowed for now, each to be removed by moving the import's target down. Empty:
 * keep it so. A test below fails once one of them is gone, so the list only shrinks.
 */
const KNOWN_EXCEPTIONS: string[] = [];

type Found = { problems: string[]; exceptionsSeen: Set<string> };

const isTest = (path: string) => path.endsWith('.spec.ts') || path.split('/').includes('test-support');
const folderOf = (path: string) => (path.includes('/') ? path.split('/')[0] : '');

/** Every module specifier of a file: import/export … from, import x = require(), import(), require(). */
function moduleSpecifiers(path: string, text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true));
  return found;
}

/** Where a file prints: any use of `console`, and `process.stdout` / `process.stderr`. */
function printing(path: string, text: string): string[] {
  const found: string[] = [];
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const at = (node: ts.Node) => `${path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const visit = (node: ts.Node): void => {
    const parent = node.parent;
    const isNameOfSomethingElse = parent && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node));
    if (ts.isIdentifier(node) && node.text === 'console' && !isNameOfSomethingElse) found.push(`${at(node)} uses console: a verb returns an outcome, the reporter prints it`);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && ['stdout', 'stderr'].includes(node.name.text)) {
      found.push(`${at(node)} writes to process.${node.name.text}: a verb returns an outcome, the reporter prints it`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Checks the house rules on files given as src-relative POSIX paths → text. */
function checkArchitecture(files: ReadonlyMap<string, string>, exceptions: readonly string[] = []): Found {
  const problems: string[] = [];
  const exceptionsSeen = new Set<string>();
  for (const [path, text] of files) {
    const folder = folderOf(path);
    const floor = folder === '' ? ENTRY : FLOORS[folder];
    if (floor === undefined) {
      problems.push(`${path}: ${folder}/ is on no floor; give it one in architecture.spec.ts and ARCHITECTURE.md`);
      continue;
    }
    for (const specifier of moduleSpecifiers(path, text)) {
      if (!specifier.startsWith('.')) {
        if (folder === 'core' && !isTest(path) && IMPURE_IN_CORE.test(specifier)) problems.push(`${path} imports ${specifier}: core is pure (no fs, processes, Nx or git)`);
        if (specifier === 'simple-git' && folder !== 'git') problems.push(`${path} imports simple-git: only git/ talks to git`);
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(path), specifier));
      if (target.startsWith('..')) continue; // outside src (the package's own package.json)
      const targetFolder = folderOf(target);
      if (targetFolder === folder) continue;
      const targetFloor = targetFolder === '' ? ENTRY : FLOORS[targetFolder];
      if (targetFloor !== undefined && targetFloor < floor) continue;
      const arrow = `${path} -> ${target.replace(/\.(d\.)?ts$/, '')}`;
      if (exceptions.includes(arrow)) {
        exceptionsSeen.add(arrow);
        continue;
      }
      problems.push(`${arrow}: ${folder || 'the entry'} may not import ${targetFolder || 'the entry'} (${targetFloor === floor ? 'same floor' : 'a floor up'})`);
    }
    if (folder === 'commands' && !isTest(path)) problems.push(...printing(path, text));
  }
  return { problems, exceptionsSeen };
}

function readSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

describe('the floors of src/', () => {
  const real = checkArchitecture(readSources(__dirname), KNOWN_EXCEPTIONS);

  it('has no import running up a floor, no impure core, no printing verb', () => {
    expect(real.problems).toEqual([]);
  });

  it('still has every known exception (remove the ones that are fixed)', () => {
    expect(KNOWN_EXCEPTIONS.filter((arrow) => !real.exceptionsSeen.has(arrow))).toEqual([]);
  });

  it('reports what breaks the rules (fixture)', () => {
    const fixture = new Map([
      ['core/order.ts', "import { readFileSync } from 'node:fs';\nimport type { Branch } from '../git/branch';\nexport const order = 1;"],
      ['core/order.spec.ts', "import { mkdtempSync } from 'node:fs';\nimport { order } from './order';"],
      ['git/branch.ts', "import { order } from '../core/order';\nimport { store } from '../io/store';\nimport simpleGit from 'simple-git';"],
      ['io/store.ts', "import { lock } from '../git/lock';\nexport const store = 1;"],
      [
        'commands/gates.ts',
        "import { store } from '../io/store';\nexport async function gates() { console.log('done'); const { error } = console; process.stderr.write('x'); return { log: 1 }; }",
      ],
      ['commands/test-support/child.ts', "process.stdout.write('{}');"],
      ['executors/gates/executor.ts', "import { gates } from '../../commands/gates';\nimport { stage } from '../../generators/stage/generator';\nconsole.log('ok');"],
      ['generators/stage/generator.ts', "export const stage = () => import('../../plugin/create-nodes');"],
      ['plugin/create-nodes.ts', "import { gates } from '../commands/gates';\nimport { readFileSync } from 'node:fs';\nimport simpleGit from 'simple-git';"],
      ['index.ts', "export * from './plugin/create-nodes';"],
      ['util/helpers.ts', 'export const x = 1;'],
    ]);
    expect(checkArchitecture(fixture).problems).toEqual([
      'core/order.ts imports node:fs: core is pure (no fs, processes, Nx or git)',
      'core/order.ts -> git/branch: core may not import git (a floor up)',
      'git/branch.ts -> io/store: git may not import io (a floor up)',
      'commands/gates.ts:2 uses console: a verb returns an outcome, the reporter prints it',
      'commands/gates.ts:2 uses console: a verb returns an outcome, the reporter prints it',
      'commands/gates.ts:2 writes to process.stderr: a verb returns an outcome, the reporter prints it',
      'executors/gates/executor.ts -> generators/stage/generator: executors may not import generators (same floor)',
      'generators/stage/generator.ts -> plugin/create-nodes: generators may not import plugin (a floor up)',
      'plugin/create-nodes.ts imports simple-git: only git/ talks to git',
      'util/helpers.ts: util/ is on no floor; give it one in architecture.spec.ts and ARCHITECTURE.md',
    ]);
  });

  it('lets a known exception through, and only that one', () => {
    const fixture = new Map([['commands/validate.ts', "import { read } from '../plugin/fs-plan-source';\nimport { other } from '../plugin/create-nodes';"]]);
    const found = checkArchitecture(fixture, ['commands/validate.ts -> plugin/fs-plan-source']);
    expect(found.problems).toEqual(['commands/validate.ts -> plugin/create-nodes: commands may not import plugin (a floor up)']);
    expect([...found.exceptionsSeen]).toEqual(['commands/validate.ts -> plugin/fs-plan-source']);
  });
});
