import path from 'node:path';
import { PROJECT_ROOT as root, SYNTH_CACHE } from './paths';
import { synthesize } from './synth';

/** `npm run synth`: synthesizes the backend (and generates the typed function env files). */
const started = Date.now();
const { directory, cached } = await synthesize({
  root,
  cacheDirectory: SYNTH_CACHE,
  log: (line) => console.log(line),
});
console.log(
  `${cached ? 'up to date' : 'synthesized'}: ${path.relative(root, directory)} (${Date.now() - started} ms)`,
);
