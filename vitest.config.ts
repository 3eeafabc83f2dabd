import { defineConfig } from 'vitest/config';

/** Tests that start a runtime of their own: two cores run them one file at a time. */
const ONE_FILE_AT_A_TIME = { fileParallelism: false } as const;

/**
 * The test tiers, fastest first (`sequence.groupOrder`: a tier starts when the one before it is
 * done, so a runtime-starting tier never competes with another for the cores):
 * - unit: pure and in-process tests beside their code; files may run in parallel;
 * - integration: suites against the real local runtime (tests/*.test.ts), and tests beside their
 *   code that start emulators or time processes (*.integration.test.ts);
 * - browser: the web app in Chromium against the local runtime (tests/e2e);
 * - resilience: bad input, forged callers, concurrency, faults, crashes and floods
 *   (tests/resilience, and `*.resilience.test.ts` beside their code, e.g. kill -9 of a
 *   process; `npm run test:resilience`, which writes its own results file; `npm test` leaves
 *   it out).
 */
export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.steward/test-results.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'core/**/*.test.ts',
            'amplify/**/*.test.ts',
            'local/**/*.test.ts',
            'src/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', '**/*.integration.test.ts', '**/*.resilience.test.ts'],
          // Pure tests share worker threads and their modules (18 s instead of 72 s for the tier
          // here): a unit test keeps no module state of its own and mocks only virtual modules
          // ($amplify/env/*); one that needs a process of its own is an integration test.
          pool: 'threads',
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/*.test.ts', '{core,local,amplify,bench}/**/*.integration.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
          ...ONE_FILE_AT_A_TIME,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 2 },
          ...ONE_FILE_AT_A_TIME,
        },
      },
      {
        extends: true,
        test: {
          name: 'resilience',
          include: [
            'tests/resilience/**/*.test.ts',
            '{core,local,amplify}/**/*.resilience.test.ts',
          ],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          sequence: { groupOrder: 3 },
          ...ONE_FILE_AT_A_TIME,
        },
      },
    ],
  },
});
