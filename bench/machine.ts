import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** What a benchmark ran on, recorded beside every figure. */
export function describeMachine() {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    java: `${java.stderr}`.split('\n')[0] ?? 'not found',
    platform: `${os.platform()} ${os.release()}`,
  };
}
