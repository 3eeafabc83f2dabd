import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'amplify/**/*.test.ts',
      'local/**/*.test.ts',
      'tests/**/*.test.ts',
      'src/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    // The resilience suite has its own command (`npm run test:resilience`, vitest.resilience.config.ts).
    exclude: ['**/node_modules/**', 'tests/resilience/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Integration suites each start a local stack; two cores run them one file at a time.
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.steward/test-results.json' },
  },
});
