import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, STEWARD_DIRECTORY } from '../local/paths';
import { describeMachine } from './machine';
import { measureBundle } from './bundle';
import { renderMarkdown } from './report';
import { startBenchRuntime } from './runtime';
import {
  assignScenario,
  burstScenario,
  createContext,
  FULL_PLAN,
  listFloor,
  listScenario,
  mixScenario,
  QUICK_PLAN,
  submitFloor,
  submitScenario,
  subscriptionScenario,
  transitionFloor,
  transitionScenario,
  warmUp,
} from './scenarios';
import { ensureSeed, FULL, QUICK, workingCopy } from './seed';
import { startupScenario } from './startup';

/**
 * `npm run bench`: seeds (or reuses) the data, runs the load scenarios against the local runtime
 * from a separate load-generator process, then start-up and bundle size; writes
 * docs/BENCHMARKS.md and bench/results/latest.json. BENCH_QUICK=1 runs a scaled-down version.
 */
const quick = process.env.BENCH_QUICK === '1';
const scale = quick ? QUICK : FULL;
const plan = quick ? QUICK_PLAN : FULL_PLAN;
const machine = describeMachine();
const command = quick ? 'BENCH_QUICK=1 npm run bench' : 'npm run bench';
const log = (line: string) => console.log(line);
const benchStarted = Date.now();
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';

log(
  `Benchmarking on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}${quick ? ' (BENCH_QUICK: scaled down)' : ''}`,
);
const seed = await ensureSeed(scale, log);
log(
  seed.reused
    ? 'Seed: reused the cached data (same seed code and schema)'
    : `Seed: built in ${seed.seedSeconds} s and cached under .steward/bench`,
);
const runDirectory = path.join(STEWARD_DIRECTORY, 'bench-run');

// Growth, first half: the organization alone in the table.
log(`Scenario 5 at ${scale.inOrganization} work orders in the table`);
let bench = await startBenchRuntime(workingCopy(seed.small, runDirectory));
let ctx = await createContext(bench, seed.manifest, plan, log);
let small;
let smallFloor;
try {
  await warmUp(ctx, false);
  small = await listScenario(
    ctx,
    'list-small',
    `5. open page at ${scale.inOrganization} in the table`,
  );
  smallFloor = await listFloor(
    ctx,
    'floor-list-small',
    `floor of 5 at ${scale.inOrganization}: Query`,
  );
} finally {
  await bench.stop();
}

log(`Scenarios 1–8 at ${scale.inTable} work orders in the table`);
bench = await startBenchRuntime(workingCopy(seed.large, runDirectory));
ctx = await createContext(bench, seed.manifest, plan, log);
let load;
try {
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
  load = {
    submit,
    submitFloor: submitFloorResult,
    transition,
    transitionFloor: transitionFloorResult,
    assign,
    list,
    listFloor: listFloorResult,
    listSmall: small,
    listSmallFloor: smallFloor,
    mix,
    subscriptions,
    notifications,
  };
} finally {
  await bench.stop();
  rmSync(runDirectory, { recursive: true, force: true });
}

log('Scenario 9: start-up');
const startup = await startupScenario();
for (const run of startup) {
  log(
    `  ${run.label}: ready in ${(run.readyMs / 1000).toFixed(1)} s, ${run.rssMiB} MiB RSS in ${run.processes} processes, ${run.orphans} left after Ctrl-C`,
  );
}
const bundle = measureBundle();
log(
  `web app initial JS: ${bundle.gzipKiB} KiB gzip (${bundle.rawKiB} KiB raw), CSS ${bundle.cssGzipKiB} KiB gzip`,
);

const results = {
  date: new Date().toISOString(),
  command,
  quick,
  durationS: Math.round((Date.now() - benchStarted) / 1000),
  machine,
  seed: {
    reused: seed.reused,
    seedSeconds: seed.seedSeconds,
    scale,
  },
  plan,
  load,
  startup: startup.map(({ output: _output, ...figures }) => figures),
  bundle,
};
mkdirSync(path.join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(PROJECT_ROOT, 'bench', 'results', quick ? 'quick.json' : 'latest.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
const markdown = renderMarkdown(results);
if (quick) {
  writeFileSync(path.join(PROJECT_ROOT, 'bench', 'results', 'quick.md'), markdown);
  log('wrote bench/results/quick.json and quick.md (a quick run leaves docs/BENCHMARKS.md alone)');
} else {
  writeFileSync(path.join(PROJECT_ROOT, 'docs', 'BENCHMARKS.md'), markdown);
  log('wrote docs/BENCHMARKS.md and bench/results/latest.json');
}
log(`npm run bench took ${Math.round((Date.now() - benchStarted) / 1000)} s`);
