import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../local/paths';
import { describeMachine } from './machine';
import { measureBundle } from './bundle';
import { startupScenario } from './startup';

/** `npm run bench`: runs the scenarios and writes docs/BENCHMARKS.md and bench/results/latest.json. */
const machine = describeMachine();
const command = 'npm run bench';
console.log(
  `Benchmarking on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`,
);
const startup = await startupScenario();
for (const run of startup) {
  console.log(
    `${run.label}: ready in ${(run.readyMs / 1000).toFixed(1)} s, ${run.rssMiB} MiB RSS in ${run.processes} processes, ${run.orphans} left after Ctrl-C`,
  );
}
const bundle = measureBundle();
console.log(
  `web app initial JS: ${bundle.gzipKiB} KiB gzip (${bundle.rawKiB} KiB raw), CSS ${bundle.cssGzipKiB} KiB gzip`,
);
const results = {
  date: new Date().toISOString(),
  command,
  machine,
  startup: startup.map(({ output: _output, ...figures }) => figures),
  bundle,
};
mkdirSync(path.join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(
  path.join(PROJECT_ROOT, 'bench', 'results', 'latest.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);

const rows = startup
  .map(
    (r) =>
      `| ${r.label} | ${(r.readyMs / 1000).toFixed(1)} s | ${r.rssMiB} MiB | ${r.processes} | ${r.orphans} |`,
  )
  .join('\n');
/** Measured separately (it takes minutes): kept here so a bench run does not drop it. */
const TEST_SUITE = `\`time npm test\` on the same machine, nothing else running: 3569 tests in 53 files, 3 min 24 s
(target ≤ 5 minutes): unit tests, integration suites that each start the local runtime, and the
browser tests in Chromium.`;

const markdown = `# Benchmarks

Measured with \`${command}\` on ${results.date.slice(0, 10)}: ${machine.cpus} cores (${machine.cpuModel}),
${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.java}, ${machine.platform}.
Raw figures: \`bench/results/latest.json\`.

## Start-up of the local runtime (\`npm start\`)
Time from launching \`npm start\`'s program to its ready block; memory is the resident set of the
whole process tree (Node, DynamoDB Local's JVM, Lambda workers, Vite) a second after ready;
"left" counts processes of the tree still alive 5 s after the program exited on Ctrl-C. Targets: first ≤ 40 s, warm ≤ 15 s.

| run | ready | memory (RSS) | processes | left after Ctrl-C |
|---|---|---|---|---|
${rows}

## Web app bundle (\`vite build\`)
What a first visit loads (the entry script and what index.html preloads; every page after that is
a lazy chunk of a few KiB). Target: ≤ 300 KB gzip.

| initial JS (gzip) | initial JS (raw) | CSS (gzip) |
|---|---|---|
| ${bundle.gzipKiB} KiB | ${bundle.rawKiB} KiB | ${bundle.cssGzipKiB} KiB |

## Test suite (\`npm test\`)
${TEST_SUITE}
`;
writeFileSync(path.join(PROJECT_ROOT, 'docs', 'BENCHMARKS.md'), markdown);
console.log('wrote docs/BENCHMARKS.md');
