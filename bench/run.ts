import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, STEWARD_DIRECTORY } from '../local/paths';
import { describeMachine } from './machine';
import { measureBundle } from './bundle';
import { FULL_PLAN, type LoadResult, QUICK_PLAN } from './scenarios';
import { runPhase } from './phases';
import { formatMarkdown, type Results, renderMarkdown } from './report';
import { ensureSeed, workingCopy } from './seed';
import { FULL, QUICK } from './seed-data';
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
const loadAtStart = Math.round((os.loadavg()[0] ?? 0) * 10) / 10;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
// What is measured is Steward, not the WAF rule's local stand-in: all load comes from one address.
process.env.STEWARD_LOCAL_RATE_LIMIT ??= 'off';

log(
  `Benchmarking on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}${quick ? ' (BENCH_QUICK: scaled down)' : ''}`,
);
const seed = await ensureSeed(scale, log);
log(
  seed.reused
    ? 'Seed: reused the cached data (same seed code and schema)'
    : `Seed: built in ${seed.seedSeconds} s and cached under .steward/bench`,
);
if (process.env.BENCH_SEED_ONLY === '1') process.exit(0);
const runDirectory = path.join(STEWARD_DIRECTORY, 'bench-run');

// Growth, first half: the organization alone in the table.
log(`Scenario 5 at ${scale.inOrganization} work orders in the table`);
const only = process.env.BENCH_ONLY;
const growth = only
  ? undefined
  : await runPhase<{ listSmall: LoadResult; listSmallFloor: LoadResult }>({
      phase: 'growth',
      dataDirectory: workingCopy(seed.small, runDirectory),
      manifest: seed.manifest,
      plan,
    });
log(`Scenarios 1–8 at ${scale.inTable} work orders in the table`);
const main = await runPhase<Omit<NonNullable<Results['load']>, 'listSmall' | 'listSmallFloor'>>({
  phase: 'main',
  dataDirectory: workingCopy(seed.large, runDirectory),
  manifest: seed.manifest,
  plan,
});
rmSync(runDirectory, { recursive: true, force: true });
if (only) {
  log('BENCH_ONLY: nothing written');
  process.exit(0);
}
const load = { ...main, ...growth };

// The load figures are kept even if what follows fails.
mkdirSync(path.join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(PROJECT_ROOT, 'bench', 'results', 'load-partial.json'),
  `${JSON.stringify(load, null, 2)}\n`,
);
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

const results: Results = {
  date: new Date().toISOString(),
  command,
  quick,
  durationS: Math.round((Date.now() - benchStarted) / 1000),
  machine,
  loadAverage: { start: loadAtStart, end: Math.round((os.loadavg()[0] ?? 0) * 10) / 10 },
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
// BENCH_DOCS=1 writes docs/BENCHMARKS.md from a quick run too (it says it was scaled down).
if (quick && process.env.BENCH_DOCS !== '1') {
  writeFileSync(path.join(PROJECT_ROOT, 'bench', 'results', 'quick.md'), markdown);
  log('wrote bench/results/quick.json and quick.md (a quick run leaves docs/BENCHMARKS.md alone)');
} else {
  const doc = path.join(PROJECT_ROOT, 'docs', 'BENCHMARKS.md');
  writeFileSync(doc, await formatMarkdown(markdown, doc));
  log(`wrote docs/BENCHMARKS.md and bench/results/${quick ? 'quick' : 'latest'}.json`);
}
rmSync(path.join(PROJECT_ROOT, 'bench', 'results', 'load-partial.json'), { force: true });
log(`npm run bench took ${Math.round((Date.now() - benchStarted) / 1000)} s`);
