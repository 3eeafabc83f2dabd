import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FunctionDefinition } from './assembly';

/** Writes small handler bundles to a temp folder, as the synth would, for the runner's tests. */
export function writeTestFunctions(
  sources: Record<
    string,
    { code: string; timeoutSeconds?: number; environment?: Record<string, string> }
  >,
): FunctionDefinition[] {
  const root = mkdtempSync(path.join(os.tmpdir(), 'steward-lambda-'));
  return Object.entries(sources).map(([name, source]) => {
    const codeDirectory = path.join(root, name);
    mkdirSync(codeDirectory);
    writeFileSync(path.join(codeDirectory, 'index.mjs'), source.code);
    return {
      logicalId: `${name.replace(/[^a-zA-Z0-9]/g, '')}Lambda`,
      name,
      codeDirectory,
      handler: 'index.handler',
      environment: source.environment ?? {},
      timeoutSeconds: source.timeoutSeconds ?? 3,
      memoryMB: 512,
    };
  });
}
