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
);
