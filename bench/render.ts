import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../local/paths';
import { formatMarkdown, type Results, renderMarkdown } from './report';

/**
 * `npx tsx bench/render.ts [results.json]`: writes docs/BENCHMARKS.md again from recorded figures
 * (default bench/results/latest.json), e.g. after editing the findings, without re-running.
 */
const file = path.resolve(
  process.argv[2] ?? path.join(PROJECT_ROOT, 'bench', 'results', 'latest.json'),
);
const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
const doc = path.join(PROJECT_ROOT, 'docs', 'BENCHMARKS.md');
writeFileSync(doc, await formatMarkdown(renderMarkdown(results), doc));
console.log(`wrote docs/BENCHMARKS.md from ${path.relative(PROJECT_ROOT, file)}`);
