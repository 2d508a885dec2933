// ESLint flat config: the recommended sets of ESLint and typescript-eslint over the plugin's
// sources and specs, the e2e tests and the tools scripts. Layout and width are Prettier's job;
// the floors (what may import what, no console in a verb) are checked by src/architecture.spec.ts.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/dist/', 'coverage/', '.nx/', 'tmp/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['packages/nx-stages/src/**/*.ts', 'e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs' },
    // CommonJS files (the Jest reporters, jest.config.js) load their dependencies with require.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      // The code drops a field with `({ digest, ...rest }) => rest` and marks deliberate leftovers with `_`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
);
