// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders that make up the core: they take ports and never import Electron (DESIGN §2). */
export const CORE_FOLDERS = ['main/voice/**', 'main/tools/**', 'main/settings/**', 'main/history/**', 'main/ipc/**', 'main/core/**', 'main/cli.ts'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test/fixtures/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      parserOptions: { projectService: false },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The stand-in `electron` module for the composition-root test is CommonJS, like Electron's own.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', exports: 'writable', Buffer: 'readonly', process: 'readonly', setTimeout: 'readonly', globalThis: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: CORE_FOLDERS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The core never imports electron: take a port that main/app implements.' }],
          patterns: [
            { group: ['electron/*', 'electron-store', 'electron-log', 'electron-log/*'], message: 'The core never imports Electron modules: take a port.' },
            { group: ['**/app/*', '**/app/**'], message: 'The core does not reach into main/app (the Electron glue).' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.earshot.' }],
          patterns: [{ group: ['**/main/**', 'node:*', 'ws', 'openai', 'openai/*'], message: 'The renderer never opens network connections or loads main code.' }],
        },
      ],
    },
  },
);
