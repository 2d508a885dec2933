import { parseStage } from './parse-stage';

const FILE = 'stages/9.1-dashboard/stage.yaml';
const parse = (text: string) => parseStage(text, FILE, 'stages/9.1-dashboard');
const errors = (text: string) => parse(text).problems.filter((problem) => problem.severity === 'error');

const EXAMPLE = `id: "9.1"
name: Dashboard UI Components
duration: 2w
priority: P0
dependsOn: []
files:
  - src/web-ui/app/dashboard/**
profile: default
assignee: alice
deliverables: [Dashboard page, Widget layout]
value: Developers can build dashboards with drag-and-drop widgets.
`;

describe('parseStage', () => {
  it('reads the documented example', () => {
    const { stage, problems } = parse(EXAMPLE);
    expect(problems).toEqual([]);
    expect(stage).toMatchObject({
      id: '9.1',
      name: 'Dashboard UI Components',
      duration: '2w',
      durationDays: 10,
      priority: 'P0',
      dependsOn: [],
      files: ['src/web-ui/app/dashboard/**'],
      profile: 'default',
      assignee: 'alice',
      deliverables: ['Dashboard page', 'Widget layout'],
      folder: 'stages/9.1-dashboard',
      file: FILE,
    });
    expect(stage?.lines).toMatchObject({ id: 1, name: 2, files: 6 });
  });

  it('applies defaults to optional fields', () => {
    const { stage } = parse('id: a\nname: A\nduration: 3d\n');
    expect(stage).toMatchObject({ priority: 'P1', dependsOn: [], files: [], profile: 'default', deliverables: [] });
    expect(stage?.value).toBeUndefined();
    expect(stage?.assignee).toBeUndefined();
  });

  it('keeps ids as written, even when YAML would read a number', () => {
    const { stage } = parse('id: 9.10\nname: Ten\nduration: 1w\ndependsOn: [9.20, 3]\n');
    expect(stage?.id).toBe('9.10');
    expect(stage?.dependsOn).toEqual(['9.20', '3']);
  });

  it('reports malformed YAML with its line and leaves the stage out', () => {
    const result = parse('id: "9.1"\nname: [broken\nduration: 1w\n');
    expect(result.stage).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ severity: 'error', code: 'yaml', file: FILE, line: expect.any(Number) });
    expect(result.problems[0].message).toContain('invalid YAML');
  });

  it('reports a duplicate key as YAML error', () => {
    expect(errors('id: a\nid: b\nname: x\nduration: 1w\n')[0]).toMatchObject({ code: 'yaml', line: 2 });
  });

  it('refuses a top level that is not a mapping', () => {
    expect(errors('- id: a\n')[0].message).toContain('mapping');
  });

  it.each([
    ['dependsOn: 5', 'dependsOn', 4],
    ['files: src/**', 'files', 4],
    ['deliverables: {a: 1}', 'deliverables', 4],
  ])('refuses a wrong type: %s', (line, field, lineNumber) => {
    const [problem] = errors(`id: a\nname: A\nduration: 1w\n${line}\n`);
    expect(problem.message).toContain(field);
    expect(problem.line).toBe(lineNumber);
  });

  it.each([
    ['duration: soon', 'invalid duration'],
    ['duration: 0d', 'invalid duration'],
    ['priority: P3', 'invalid priority'],
    ['assignee: Alice Smith', 'invalid assignee'],
    ['profile: ""', 'profile'],
    ['value: [a]', '"value" must be text'],
  ])('refuses %s', (line, message) => {
    const base = 'id: a\nname: A\nduration: 1w\n';
    const text = line.startsWith('duration') ? `id: a\nname: A\n${line}\n` : `${base}${line}\n`;
    expect(
      errors(text)
        .map((problem) => problem.message)
        .join('\n'),
    ).toContain(message);
  });

  it.each(['../x', 'a/b', '$(touch x)', 'x;rm -rf y', '', 'été'])('refuses the id %j', (id) => {
    const [problem] = errors(`id: ${JSON.stringify(id)}\nname: A\nduration: 1w\n`);
    expect(problem).toMatchObject({ code: 'stage-field', line: 1 });
    expect(problem.message).toContain('invalid id');
  });

  it('refuses hostile dependency ids', () => {
    expect(errors('id: a\nname: A\nduration: 1w\ndependsOn: ["../b"]\n')[0].message).toContain('invalid dependency id');
  });

  it('names missing required fields', () => {
    const messages = errors('priority: P1\n').map((problem) => problem.message);
    expect(messages).toEqual(expect.arrayContaining(['missing required field "id"', 'missing required field "name"', 'missing required field "duration"']));
  });

  it('accepts unicode names and refuses multi-line or overlong ones', () => {
    expect(parse('id: a\nname: "Tableau de bord — données 📊"\nduration: 1w\n').stage?.name).toBe('Tableau de bord — données 📊');
    expect(errors('id: a\nname: "two\\nlines"\nduration: 1w\n')[0].message).toContain('single line');
    expect(errors(`id: a\nname: ${'n'.repeat(201)}\nduration: 1w\n`)[0].message).toContain('at most 200');
  });

  it('refuses file entries outside the workspace', () => {
    const messages = errors('id: a\nname: A\nduration: 1w\nfiles: ["/etc/passwd", "../other/**", "src/../../x", ""]\n').map((p) => p.message);
    expect(messages).toHaveLength(4);
  });

  it('refuses a glob with too many brace alternatives to compare, instead of crashing later', () => {
    const explosive = '{a,b}'.repeat(13);
    const [problem] = errors(`id: a\nname: A\nduration: 1w\nfiles: ["${explosive}"]\n`);
    expect(problem).toMatchObject({ line: 4, message: expect.stringContaining('more than 4096 brace alternatives') });
  });

  it('refuses a broken glob at the line of its entry, saying how to write it', () => {
    const text = 'id: a\nname: A\nduration: 1w\nfiles:\n  - src/ok/**\n  - "libs/{header,styles/**"\n  - src/***/x.ts\n';
    const result = parse(text);
    expect(result.stage).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'stage-field',
        file: FILE,
        line: 6,
        message: 'invalid file entry "libs/{header,styles/**": "{" at character 6 is never closed',
        hint: 'close the group, e.g. {header,styles}, or write \\{ for a literal brace',
      }),
      expect.objectContaining({ line: 7, message: 'invalid file entry "src/***/x.ts": "***" at character 5 is not a glob' }),
    ]);
    expect(errors('id: a\nname: A\nduration: 1w\nfiles: ["a/{}", "b/[x"]\n').map((problem) => [problem.line, problem.message])).toEqual([
      [4, 'invalid file entry "a/{}": "{}" at character 3 has no alternatives'],
      [4, 'invalid file entry "b/[x": "[" in "[x" is never closed'],
    ]);
  });

  it('accepts brace globs', () => {
    expect(parse('id: a\nname: A\nduration: 1w\nfiles: ["libs/shared/{header,styles}/**", "src/app{,.spec}.ts"]\n').stage?.files).toEqual([
      'libs/shared/{header,styles}/**',
      'src/app{,.spec}.ts',
    ]);
  });

  it('warns about unknown fields and suggests the nearest one', () => {
    const { stage, problems } = parse('id: a\nname: A\nduration: 1w\ndependOn: [b]\n');
    expect(stage).toBeDefined();
    expect(problems[0]).toMatchObject({ severity: 'warning', code: 'unknown-field', line: 4, hint: 'did you mean "dependsOn"?' });
  });
});

describe('parseStage: serve', () => {
  const base = 'id: "3"\nname: Cart\nduration: 1w\n';

  it('reads the dev server a stage names, the target defaulting to serve', () => {
    expect(parse(`${base}serve: { project: cart, target: dev }\n`).stage?.serve).toEqual({ project: 'cart', target: 'dev' });
    expect(parse(`${base}serve:\n  project: "@acme/cart"\n`).stage?.serve).toEqual({ project: '@acme/cart', target: 'serve' });
    expect(parse(base).stage?.serve).toBeUndefined();
  });

  it('refuses a serve that is not a project and target, naming the file and line', () => {
    const cases = ['serve: cart', 'serve: { target: dev }', 'serve: { project: cart, port: 4300 }', 'serve: { project: "cart:serve" }', 'serve: { project: cart, target: [a] }'];
    expect(cases.map((line) => errors(`${base}${line}\n`).map(({ message, hint, file, line: at }) => `${file}:${at} ${message} — ${hint}`))).toMatchInlineSnapshot(`
      [
        [
          "stages/9.1-dashboard/stage.yaml:4 "serve" must be a mapping with the project (and target) of the dev server — write serve: { project: cart, target: serve }",
        ],
        [
          "stages/9.1-dashboard/stage.yaml:4 "serve" names no project — write serve: { project: cart, target: serve }",
        ],
        [
          "stages/9.1-dashboard/stage.yaml:4 unknown key in "serve": port — "serve" takes project and target; write serve: { project: cart, target: serve }",
        ],
        [
          "stages/9.1-dashboard/stage.yaml:4 "serve.project" must be the name of an Nx project, not "cart:serve" — write serve: { project: cart, target: serve }",
        ],
        [
          "stages/9.1-dashboard/stage.yaml:4 "serve.target" must be the name of a target, not ["a"] — write serve: { project: cart, target: serve }",
        ],
      ]
    `);
  });
});
