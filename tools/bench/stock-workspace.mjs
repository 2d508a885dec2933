// A stock Nx TypeScript workspace written file by file: what `create-nx-workspace@23.2.1 --preset=ts`
// followed by `nx g @nx/js:lib packages/<name> --bundler=tsc --unitTestRunner=jest --linter=eslint`
// produce, at the exact versions that preset resolved (typescript aside, see below). Written by
// hand because the preset's own install asks for a package version this registry lacks; nothing
// is added that the generators do not write (no jest-junit, no extra outputs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** What `create-nx-workspace@23.2.1 --preset=ts` + `nx g @nx/js:lib --unitTestRunner=jest --linter=eslint` put in package.json, resolved to exact versions (typescript aside). */
export const DEV_DEPENDENCIES = {
  '@eslint/js': '9.39.5',
  '@nx/devkit': '23.2.1',
  '@nx/eslint': '23.2.1',
  '@nx/eslint-plugin': '23.2.1',
  '@nx/jest': '23.2.1',
  '@nx/js': '23.2.1',
  '@swc/core': '1.15.47',
  '@swc/helpers': '0.5.24',
  '@swc/jest': '0.2.39',
  '@types/jest': '30.0.0',
  '@types/node': '22.20.5',
  eslint: '9.39.5',
  'eslint-config-prettier': '10.1.8',
  jest: '30.3.0',
  'jest-environment-node': '30.3.0',
  'jest-util': '30.3.0',
  'jsonc-eslint-parser': '2.4.2',
  nx: '23.2.1',
  prettier: '3.6.2',
  'ts-jest': '29.4.15',
  'ts-node': '10.9.1',
  tslib: '2.9.1',
  // The preset's ~6.0.3 breaks its own jest.config.cts: ts-node compiles it, and TypeScript 6 no
  // longer loads @types/node unless listed. 5.9 is what Nx 23 workspaces ran on before.
  typescript: '5.9.3',
  'typescript-eslint': '8.73.0',
};

/** Writes the workspace into `root` (which must exist), with `projects` libraries and the packed plugin as a dev dependency. */
/** `logTestPath`: each spec also prints its path (the worktree benchmark checks which checkout was tested). */
/**
 * `imports`: library → the libraries it imports (none by default), as a developer adds them: the
 * dependency in its package.json (`"@<scope>/<dep>": "*"`, npm workspaces) and a function that
 * calls each one, tested by its spec. The TypeScript project references that follow are not
 * written here: `nx sync` (Nx's own sync generator) writes them, as Nx tells the developer to.
 */
/**
 * `dependencyChecks`: each library's eslint.config.mjs also lints its package.json with
 * `@nx/dependency-checks`, as `nx g @nx/js:lib --bundler=tsc` writes it (@nx/eslint's lint-project
 * adds that block to every buildable library). Off by default, as this helper first wrote it.
 */
export function writeStockTsWorkspace(root, { tarball, projects, scope = 'bench', logTestPath = false, imports = {}, dependencyChecks = false }) {
  const write = (path, content) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  };
  /** The root files of the preset, trimmed of editor settings and READMEs. */
  function writeWorkspaceFiles() {
    write('package.json', {
      name: `@${scope}/source`,
      version: '0.0.0',
      license: 'MIT',
      private: true,
      workspaces: ['packages/*'],
      // The tarball sits beside the workspace, so `file:../<tarball>` also resolves from its sibling worktrees.
      devDependencies: { ...DEV_DEPENDENCIES, 'nx-stages': `file:../${basename(tarball)}` },
    });
    write('nx.json', {
      $schema: './node_modules/nx/schemas/nx-schema.json',
      analytics: false,
      namedInputs: {
        default: ['{projectRoot}/**/*', 'sharedGlobals'],
        production: [
          'default',
          '!{projectRoot}/eslint.config.mjs',
          '!{projectRoot}/**/?(*.)+(spec|test).[jt]s?(x)?(.snap)',
          '!{projectRoot}/tsconfig.spec.json',
          '!{projectRoot}/jest.config.[jt]s',
        ],
        sharedGlobals: [],
      },
      plugins: [
        {
          plugin: '@nx/js/typescript',
          options: {
            typecheck: { targetName: 'typecheck' },
            build: { targetName: 'build', configName: 'tsconfig.lib.json', buildDepsName: 'build-deps', watchDepsName: 'watch-deps' },
          },
        },
        { plugin: '@nx/eslint/plugin', options: { targetName: 'lint' } },
        { plugin: '@nx/jest/plugin', options: { targetName: 'test' } },
      ],
      targetDefaults: { test: { dependsOn: ['^build'] } },
    });
    write('.gitignore', 'node_modules\ndist\nout-tsc\ntest-output\n.nx/cache\n.nx/workspace-data\n');
    write('.prettierrc', { singleQuote: true });
    write('tsconfig.base.json', {
      compilerOptions: {
        composite: true,
        declarationMap: true,
        emitDeclarationOnly: true,
        importHelpers: true,
        isolatedModules: true,
        lib: ['es2022'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        noEmitOnError: true,
        noFallthroughCasesInSwitch: true,
        noImplicitOverride: true,
        noImplicitReturns: true,
        noUnusedLocals: true,
        skipLibCheck: true,
        strict: true,
        target: 'es2022',
        customConditions: [`@${scope}/source`],
      },
    });
    write('tsconfig.json', { extends: './tsconfig.base.json', compileOnSave: false, files: [], references: projects.map((name) => ({ path: `./packages/${name}` })) });
    write('jest.preset.js', "const nxPreset = require('@nx/jest/preset').default;\n\nmodule.exports = { ...nxPreset };\n");
    write(
      'jest.config.ts',
      "import type { Config } from 'jest';\nimport { getJestProjectsAsync } from '@nx/jest';\n\nexport default async (): Promise<Config> => ({\n  projects: await getJestProjectsAsync(),\n});\n",
    );
    write(
      'eslint.config.mjs',
      "import nx from '@nx/eslint-plugin';\n\nexport default [\n  ...nx.configs['flat/base'],\n  ...nx.configs['flat/typescript'],\n  ...nx.configs['flat/javascript'],\n" +
        "  { ignores: ['**/dist', '**/out-tsc'] },\n  {\n    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],\n" +
        "    rules: { '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }] }] },\n  },\n];\n",
    );
  }

  /** One library as `nx g @nx/js:lib packages/<name> --bundler=tsc --unitTestRunner=jest --linter=eslint` writes it. */
  function writeProject(name) {
    const dir = `packages/${name}`;
    const deps = imports[name] ?? [];
    write(`${dir}/package.json`, {
      name: `@${scope}/${name}`,
      version: '0.0.1',
      private: true,
      type: 'module',
      main: './dist/index.js',
      module: './dist/index.js',
      types: './dist/index.d.ts',
      exports: {
        './package.json': './package.json',
        '.': { [`@${scope}/source`]: './src/index.ts', types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' },
      },
      dependencies: { tslib: '^2.3.0', ...Object.fromEntries(deps.map((dep) => [`@${scope}/${dep}`, '*'])) },
    });
    write(`${dir}/tsconfig.json`, { extends: '../../tsconfig.base.json', files: [], include: [], references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }] });
    write(`${dir}/tsconfig.lib.json`, {
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        rootDir: 'src',
        outDir: 'dist',
        tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo',
        emitDeclarationOnly: false,
        forceConsistentCasingInFileNames: true,
        types: ['node'],
      },
      include: ['src/**/*.ts'],
      references: [],
      exclude: ['jest.config.ts', 'jest.config.cts', 'src/**/*.spec.ts', 'src/**/*.test.ts'],
    });
    write(`${dir}/tsconfig.spec.json`, {
      extends: '../../tsconfig.base.json',
      compilerOptions: { outDir: './out-tsc/jest', types: ['jest', 'node'], forceConsistentCasingInFileNames: true },
      include: ['jest.config.ts', 'jest.config.cts', 'src/**/*.test.ts', 'src/**/*.spec.ts', 'src/**/*.d.ts'],
      references: [{ path: './tsconfig.lib.json' }],
    });
    write(`${dir}/.spec.swcrc`, {
      jsc: {
        target: 'es2017',
        parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
        transform: { decoratorMetadata: true, legacyDecorator: true },
        keepClassNames: true,
        externalHelpers: true,
        loose: true,
      },
      module: { type: 'es6' },
      sourceMaps: true,
      exclude: [],
    });
    write(
      `${dir}/jest.config.cts`,
      "const { readFileSync } = require('fs');\n\n// Reading the SWC compilation config for the spec files\nconst swcJestConfig = JSON.parse(readFileSync(`${__dirname}/.spec.swcrc`, 'utf-8'));\n" +
        "// Disable .swcrc look-up by SWC core because we're passing in swcJestConfig ourselves\nswcJestConfig.swcrc = false;\n\n" +
        `module.exports = {\n  displayName: '@${scope}/${name}',\n  preset: '../../jest.preset.js',\n  testEnvironment: 'node',\n` +
        "  transform: { '^.+\\\\.[tj]s$': ['@swc/jest', swcJestConfig] },\n  moduleFileExtensions: ['ts', 'js', 'html'],\n  coverageDirectory: 'test-output/jest/coverage',\n};\n",
    );
    write(
      `${dir}/eslint.config.mjs`,
      dependencyChecks
        ? "import baseConfig from '../../eslint.config.mjs';\n\nexport default [\n  ...baseConfig,\n  {\n    files: ['**/*.json'],\n    rules: {\n" +
            "      '@nx/dependency-checks': [\n        'error',\n        {\n          ignoredFiles: ['{projectRoot}/eslint.config.{js,cjs,mjs,ts,cts,mts}'],\n        },\n      ],\n    },\n" +
            "    languageOptions: {\n      parser: await import('jsonc-eslint-parser'),\n    },\n  },\n  {\n    ignores: ['**/out-tsc'],\n  },\n];\n"
        : "import baseConfig from '../../eslint.config.mjs';\n\nexport default [...baseConfig, { ignores: ['**/out-tsc'] }];\n",
    );
    write(`${dir}/src/index.ts`, `export * from './lib/${name}.js';\n`);
    const uses = `${name}WithDependencies`;
    write(
      `${dir}/src/lib/${name}.ts`,
      deps.map((dep) => `import { ${dep} } from '@${scope}/${dep}';\n`).join('') +
        (deps.length ? '\n' : '') +
        `export function ${name}(): string {\n  return '${name}';\n}\n` +
        (deps.length ? `\nexport function ${uses}(): string[] {\n  return [${name}(), ${deps.map((dep) => `${dep}()`).join(', ')}];\n}\n` : ''),
    );
    write(
      `${dir}/src/lib/${name}.spec.ts`,
      `import { ${[name, ...(deps.length ? [uses] : [])].join(', ')} } from './${name}.js';\n\ndescribe('${name}', () => {\n  it('should work', () => {\n    expect(${name}()).toEqual('${name}');\n` +
        (logTestPath ? '    console.log(`tests passed: ${expect.getState().testPath}`);\n' : '') +
        '  });\n' +
        (deps.length ? `\n  it('uses its dependencies', () => {\n    expect(${uses}()).toEqual([${[name, ...deps].map((n) => `'${n}'`).join(', ')}]);\n  });\n` : '') +
        '});\n',
    );
  }

  writeWorkspaceFiles();
  for (const name of projects) writeProject(name);
}
