import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureStart } from '../bench/startup';
import { PROJECT_ROOT } from '../local/paths';

/** Runs `npm start`'s program until it exits, with extra environment; returns its output. */
function runToExit(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(PROJECT_ROOT, 'local', 'main.ts'),
        '--no-app',
      ],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm start', () => {
  const homes: string[] = [];
  const home = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-cli-'));
    homes.push(dir);
    return dir;
  };
  afterAll(() => homes.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('prints one ready block with every URL and the demo logins, and leaves no process behind on Ctrl-C', async () => {
    const run = await measureStart('test', home(), 23000);
    expect(run.output).toMatch(/Steward is running locally/);
    for (const label of ['Web app', 'Mailbox', 'GraphQL', 'Realtime', 'Cognito', 'DynamoDB'])
      expect(run.output).toContain(label);
    expect(run.output).toMatch(/OWNER\s+owner@demo\.steward\.local/);
    expect(run.output).toMatch(/MEMBER\s+member@demo\.steward\.local/);
    expect(run.processes).toBeGreaterThan(2);
    expect(run.orphanCommands).toEqual([]);
  }, 240_000);

  it('says which port is taken and how to fix it', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(24001, '127.0.0.1', () => resolve()));
    try {
      const { code, output } = await runToExit({
        STEWARD_HOME: home(),
        STEWARD_PORT_BASE: '24000',
      });
      expect(code).toBe(1);
      expect(output).toContain('Port 24001 (DynamoDB Local) is already in use');
      expect(output).toContain('STEWARD_PORT_BASE');
    } finally {
      server.close();
    }
  });

  it('says Java is missing and how to install it', async () => {
    // A PATH with node but no java.
    const bin = home();
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const { code, output } = await runToExit({
      STEWARD_HOME: home(),
      STEWARD_PORT_BASE: '24100',
      PATH: bin,
    });
    expect(code).toBe(1);
    expect(output).toContain('Java was not found');
    expect(output).toMatch(/openjdk-17/);
  });
});
