import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where amplify/ lives). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the local runtime keeps everything it makes (git-ignored); STEWARD_HOME moves it. */
export const STEWARD_DIRECTORY = path.resolve(
  process.env.STEWARD_HOME ?? path.join(PROJECT_ROOT, '.steward'),
);

/** The cache of synthesized backends. */
export const SYNTH_CACHE = path.join(STEWARD_DIRECTORY, 'synth');
