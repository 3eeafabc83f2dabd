import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { autoPorts, BACKEND_ONLY, startLocalRuntime } from '../local/main';
import { assertPortFree, freePort, PORT_BLOCKS, releasePorts } from '../local/process-utils';

const CLAIMANT = fileURLToPath(new URL('./support/port-claimant.ts', import.meta.url));

/** Starts a claimant process and resolves with the ports it took and whether each bound. */
function claimant(count: number): Promise<{
  child: ChildProcess;
  ports: number[];
  bound: boolean[];
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLAIMANT, String(count)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^PORTS (.*)$/m.exec(output);
      if (line)
        resolve({
          child,
          ...(JSON.parse(line[1] ?? '{}') as { ports: number[]; bound: boolean[] }),
        });
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`claimant exited with ${code}: ${output}`)));
  });
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ports for runtimes started at the same time', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await releasePorts();
  });

  it('hands processes that race for ports disjoint ones, each of which binds', async () => {
    const racers = await Promise.all(Array.from({ length: 4 }, () => claimant(12)));
    children.push(...racers.map((r) => r.child));
    const mine = await Promise.all(Array.from({ length: 12 }, () => freePort()));
    const all = [...racers.flatMap((r) => r.ports), ...mine];
    expect(racers.every((r) => r.bound.every(Boolean))).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    // Below every OS's ephemeral range: no outgoing connection is ever given one of them.
    expect(Math.max(...all)).toBeLessThan(32_768);
    for (const port of mine) await assertPortFree(port, 'test');
  });

  it("frees a killed process's ports for the next one", async () => {
    const first = await claimant(3);
    const block = (port: number) => Math.floor((port - PORT_BLOCKS.first) / PORT_BLOCKS.size);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    for (const port of first.ports) await assertPortFree(port, 'test');
    // Its block's lock went with it: the block can be taken again.
    await assertPortFree(PORT_BLOCKS.first + block(first.ports[0] ?? 0) * PORT_BLOCKS.size, 'lock');
  });
});

describe('a start that fails half way', () => {
  /** Starts a runtime that fails once DynamoDB Local is up; returns its pid and the error. */
  async function failingStart(
    fail: 'abort' | 'endpoint',
  ): Promise<{ dynamoDbPid: number; mailPort: number; error: unknown }> {
    const dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-failing-start-'));
    const aborter = new AbortController();
    let dynamoDbPid = 0;
    const readPid = () => {
      const file = path.join(dataDirectory, 'dynamodb', 'dynamodb-local.pid');
      if (existsSync(file)) dynamoDbPid = Number(readFileSync(file, 'utf8'));
    };
    const ports = await autoPorts();
    try {
      await startLocalRuntime({
        dataDirectory,
        ports,
        ...BACKEND_ONLY,
        signal: aborter.signal,
        log: (line) => {
          if (fail === 'abort' && line.includes('✓ DynamoDB Local')) {
            readPid();
            aborter.abort();
          }
        },
        dynamoDbEndpoint: async () => {
          readPid();
          throw new Error('the proxy could not start');
        },
      });
      return { dynamoDbPid, mailPort: ports.mail, error: undefined };
    } catch (error) {
      return { dynamoDbPid, mailPort: ports.mail, error };
    } finally {
      rmSync(dataDirectory, { recursive: true, force: true });
    }
  }

  it.each(['abort', 'endpoint'] as const)(
    'leaves no DynamoDB Local (java) and no mailbox behind when it fails by %s',
    async (fail) => {
      const { dynamoDbPid, mailPort, error } = await failingStart(fail);
      expect(error).toBeDefined();
      expect(dynamoDbPid).toBeGreaterThan(0);
      expect(isAlive(dynamoDbPid)).toBe(false);
      await assertPortFree(mailPort, 'mailbox');
    },
    120_000,
  );
});
