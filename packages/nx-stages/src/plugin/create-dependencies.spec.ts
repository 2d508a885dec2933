import { DependencyType, type CreateDependenciesContext } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDependencies } from './create-dependencies';
import { PLAN_TAG } from './plan-nodes';

describe('createDependencies: graph edges from dependsOn', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nx-stages-deps-'));
    write('stages/stages.yaml', '');
    write('stages/a/stage.yaml', 'id: a\nname: A\nduration: 1w\n');
    write('stages/b/stage.yaml', 'id: b\nname: B\nduration: 1w\ndependsOn: [a, a, b, gone]\n');
    write('stages/c/stage.yaml', 'id: c\nname: C\nduration: 1w\ndependsOn: [a]\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function context(fileOf: Record<string, string[]>): CreateDependenciesContext {
    const projects = {
      stages: { root: 'stages', tags: [PLAN_TAG] },
      'stage-a': { root: 'stages/a' },
      'stage-b': { root: 'stages/b' },
      'stage-c': { root: 'stages/c' },
    };
    const projectFileMap = Object.fromEntries(Object.keys(projects).map((name) => [name, (fileOf[name] ?? []).map((file) => ({ file, hash: 'h' }))]));
    return {
      workspaceRoot: root,
      projects,
      nxJsonConfiguration: {},
      fileMap: { projectFileMap, nonProjectFiles: [] },
      filesToProcess: { projectFileMap: {}, nonProjectFiles: [] },
    } as unknown as CreateDependenciesContext;
  }

  it('one static edge per dependency, from the stage file that declares it; no self, duplicate or unknown edge', async () => {
    const edges = await createDependencies(undefined, context({ 'stage-b': ['stages/b/stage.yaml'], 'stage-c': ['stages/c/stage.yaml'] }));
    expect(edges).toEqual([
      { source: 'stage-b', target: 'stage-a', type: DependencyType.static, sourceFile: 'stages/b/stage.yaml' },
      { source: 'stage-c', target: 'stage-a', type: DependencyType.static, sourceFile: 'stages/c/stage.yaml' },
    ]);
  });

  it('an implicit edge when Nx does not map the stage file to its project (a static one would be refused)', async () => {
    const edges = await createDependencies(undefined, context({}));
    expect(edges.map((edge) => [edge.source, edge.target, edge.type])).toEqual([
      ['stage-b', 'stage-a', DependencyType.implicit],
      ['stage-c', 'stage-a', DependencyType.implicit],
    ]);
  });
});
