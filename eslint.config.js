import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      '.steward',
      '.amplify',
      'coverage',
      'public',
      'amplify/data/*.js',
    ],
  },
  js.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  { files: ['src/**'], languageOptions: { globals: { ...globals.browser } } },
  ...tseslint.configs.recommended,
  {
    // Type-aware rules need the program. One program from tsconfig.json for the whole run: the
    // project service (parserOptions.projectService) rebuilt it per file and ran out of the
    // default 4 GB heap on this tree (5.2 GB, 443 s), where this takes 3.0 GB and 155 s.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The two classic hook rules only: the React Compiler rules of v7 assume a compiled app.
    files: ['src/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['amplify/functions/**/*.ts', 'amplify/auth/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // The domain stays pure (docs/ARCHITECTURE.md, "Tenets"): no AWS, React or Node import.
    files: ['core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({
            name,
            message: 'core/ is pure TypeScript: pass what it needs through a port (core/ports.ts).',
          })),
          patterns: [
            {
              group: ['@aws-sdk/*', 'aws-*', '@aws-amplify/*', '@aws-lambda-powertools/*'],
              message: 'core/ has no AWS import: the adapters live in amplify/functions.',
            },
            {
              group: ['react', 'react*', 'react-*/*'],
              message: 'core/ has no React import: the web app lives in src/.',
            },
            {
              group: ['node:*'],
              message:
                'core/ is pure TypeScript: pass what it needs through a port (core/ports.ts).',
            },
          ],
        },
      ],
    },
  },
);
