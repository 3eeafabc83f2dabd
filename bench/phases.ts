import { fork } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../local/paths';
import type { Plan } from './scenarios';
import type { Scale, SeedManifest } from './seed-data';

/** One step of a bench run, each in a fresh process with its own local runtime. */
export type Phase =
  | { phase: 'seed-organization'; dataDirectory: string; scale: Scale }
  | { phase: 'seed-rest'; dataDirectory: string; scale: Scale; manifest: SeedManifest }
  | { phase: 'growth'; dataDirectory: string; manifest: SeedManifest; plan: Plan }
  | { phase: 'main'; dataDirectory: string; manifest: SeedManifest; plan: Plan };

const ENTRY = path.join(PROJECT_ROOT, 'bench', 'phase-process.ts');

/**
 * Runs a phase in a child process: a runtime started twice in one process would share the
 * simulator's module state, and a process of its own also keeps each phase's memory apart.
 */
export function runPhase<T = unknown>(phase: Phase): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(ENTRY, [], {
      cwd: PROJECT_ROOT,
      execArgv: [
        '--import',
        'tsx',
        // BENCH_PROFILE=1: a CPU profile of each phase (the simulator runs in it) for analysis.
        ...(process.env.BENCH_PROFILE === '1'
          ? ['--cpu-prof', `--cpu-prof-dir=${path.join(PROJECT_ROOT, '.steward', 'profiles')}`]
          : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    let settled = false;
    child.once('message', (message: { ok: boolean; result?: T; error?: string }) => {
      settled = true;
      if (message.ok) resolve(message.result as T);
      else reject(new Error(`bench phase ${phase.phase} failed: ${message.error}`));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`bench phase ${phase.phase} exited with ${code}`));
    });
    child.send(phase);
  });
}
