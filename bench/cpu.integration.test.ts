import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuBetween, cpuPer, cpuSnapshot, cpuTotal, RUNTIME_PART } from './cpu';

describe.runIf(existsSync('/proc/self/stat'))('the CPU account of a scenario', () => {
  it('counts a busy child under its part, an idle one near zero, and leaves unnamed ones out', async () => {
    // Busy only after the first snapshot (taken right after the spawn).
    const script = (busyMs: number) =>
      `setTimeout(() => { const end = Date.now() + ${busyMs}; while (Date.now() < end); setTimeout(() => {}, 5000); }, 300);`;
    const busy = spawn(process.execPath, ['-e', script(400), 'busy-child']);
    const idle = spawn(process.execPath, ['-e', script(0), 'idle-child']);
    const other = spawn(process.execPath, ['-e', script(400), 'unnamed-child']);
    const partOf = (command: string) =>
      command.includes('busy-child') ? 'busy' : command.includes('idle-child') ? 'idle' : undefined;
    try {
      const before = cpuSnapshot(partOf);
      expect([...before.values()].some((p) => p.part === RUNTIME_PART)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const spent = cpuBetween(before, cpuSnapshot(partOf));
      expect(spent.busy).toBeGreaterThanOrEqual(200);
      expect(spent.idle ?? 0).toBeLessThan(spent.busy ?? 0);
      expect(Object.keys(spent).sort()).toEqual(['busy', 'idle', RUNTIME_PART].sort());
    } finally {
      for (const child of [busy, idle, other]) child.kill('SIGKILL');
    }
  });
});

describe('cpuPer and cpuTotal', () => {
  it('divides each part over the requests, to hundredths, and adds the parts up', () => {
    const per = cpuPer({ runtime: 1000, 'DynamoDB Local': 333 }, 300);
    expect(per).toEqual({ runtime: 3.33, 'DynamoDB Local': 1.11 });
    expect(cpuTotal(per)).toBeCloseTo(4.44, 10);
  });
});
