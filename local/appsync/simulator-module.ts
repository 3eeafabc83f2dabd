import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The simulator version every patch in simulator-patches.ts was written against (package.json pins it). */
export const PINNED_SIMULATOR_VERSION = '2.16.20';

const simulatorMain = createRequire(import.meta.url).resolve(
  '@aws-amplify/amplify-appsync-simulator',
);

/**
 * `require` from inside the simulator's package: its own files (`./utils/…`) and its own
 * CommonJS copy of graphql (15.x). An ESM `import 'graphql'` would load the .mjs build, a second
 * realm whose functions reject the simulator's schema.
 */
export const simulatorRequire = createRequire(simulatorMain);

/** The version of the simulator that is installed, from its package.json. */
export function installedSimulatorVersion(): string {
  const manifest = path.join(path.dirname(simulatorMain), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
