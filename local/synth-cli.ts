import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesize } from './synth';

/** `npm run synth`: synthesizes the backend (and generates the typed function env files). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const { directory, cached } = await synthesize({
  root,
  cacheDirectory: path.join(root, '.steward', 'synth'),
  log: (line) => console.log(line),
});
console.log(`${cached ? 'up to date' : 'synthesized'}: ${path.relative(root, directory)} (${Date.now() - started} ms)`);
