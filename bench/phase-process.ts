/** The child side of bench/phases.ts: starts a runtime over a data folder and runs one phase. */
import type { Phase } from './phases';
import { startBenchRuntime } from './runtime';
import {
  assignScenario,
  burstScenario,
  createContext,
  listFloor,
  listScenario,
  mixScenario,
  submitFloor,
  submitScenario,
  subscriptionScenario,
  transitionFloor,
  transitionScenario,
  warmUp,
} from './scenarios';
import { seedPeopleAndOrganization, seedRestOfTable } from './seed-data';

const log = (line: string) => console.log(line);

async function run(phase: Phase): Promise<unknown> {
  const bench = await startBenchRuntime(phase.dataDirectory);
  try {
    switch (phase.phase) {
      case 'seed-organization': {
        const manifest = await seedPeopleAndOrganization(bench, phase.scale, log);
        await bench.runtime.streamsIdle();
        return manifest;
      }
      case 'seed-rest': {
        await seedRestOfTable(bench, phase.scale, phase.manifest, log);
        await bench.runtime.streamsIdle();
        return null;
      }
      case 'growth': {
        const ctx = await createContext(bench, phase.manifest, phase.plan, log);
        const size = phase.manifest.scale.inOrganization;
        await warmUp(ctx, false);
        const listSmall = await listScenario(
          ctx,
          'list-small',
          `5. open page at ${size} in the table`,
        );
        const listSmallFloor = await listFloor(
          ctx,
          'floor-list-small',
          `floor of 5 at ${size}: Query`,
        );
        return { listSmall, listSmallFloor };
      }
      case 'main': {
        const ctx = await createContext(bench, phase.manifest, phase.plan, log);
        // BENCH_ONLY=submit,burst,…: only those scenarios (development; nothing is written).
        const only = process.env.BENCH_ONLY?.split(',');
        const want = (key: string) => !only || only.includes(key);
        await warmUp(ctx, true);
        const results: Record<string, unknown> = {};
        const steps: [string, () => Promise<unknown>][] = [
          ['submit', () => submitScenario(ctx)],
          ['submitFloor', () => submitFloor(ctx)],
          ['transition', () => transitionScenario(ctx)],
          ['transitionFloor', () => transitionFloor(ctx)],
          ['assign', () => assignScenario(ctx)],
          ['list', () => listScenario(ctx, 'list', '4. open page, 50 items')],
          ['listFloor', () => listFloor(ctx, 'floor-list', 'floor of 4: Query, Limit 50')],
          ['mix', () => mixScenario(ctx)],
          ['subscriptions', () => subscriptionScenario(ctx)],
          ['notifications', () => burstScenario(ctx)],
        ];
        for (const [key, step] of steps) if (want(key)) results[key] = await step();
        return results;
      }
    }
  } finally {
    await bench.stop();
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
process.once('message', (phase: Phase) => {
  run(phase).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (err: unknown) =>
      process.send?.({ ok: false, error: err instanceof Error ? err.stack : String(err) }, () =>
        process.exit(1),
      ),
  );
});
