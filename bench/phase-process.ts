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
        await warmUp(ctx, true);
        const submit = await submitScenario(ctx);
        const submitFloorResult = await submitFloor(ctx);
        const transition = await transitionScenario(ctx);
        const transitionFloorResult = await transitionFloor(ctx);
        const assign = await assignScenario(ctx);
        const list = await listScenario(ctx, 'list', '4. open page, 50 items');
        const listFloorResult = await listFloor(ctx, 'floor-list', 'floor of 4: Query, Limit 50');
        const mix = await mixScenario(ctx);
        const subscriptions = await subscriptionScenario(ctx);
        const notifications = await burstScenario(ctx);
        return {
          submit,
          submitFloor: submitFloorResult,
          transition,
          transitionFloor: transitionFloorResult,
          assign,
          list,
          listFloor: listFloorResult,
          mix,
          subscriptions,
          notifications,
        };
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
