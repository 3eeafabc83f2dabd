import { defineConfig } from 'vitest/config';

/** `npm run test:resilience`: bad input, forged callers, concurrency, faults, crashes and floods. */
export default defineConfig({
  test: {
    include: ['tests/resilience/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.steward/resilience-results.json' },
  },
});
