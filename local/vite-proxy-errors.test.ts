import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { proxyErrorLine } from '../vite.config';
import { PROJECT_ROOT } from './paths';
import { freePort } from './process-utils';

describe('proxyErrorLine', () => {
  it.each([
    ['ws proxy socket error:\n    at x', 'ECONNRESET', undefined],
    ['\u001b[31mws proxy error:\u001b[39m\nError: write EPIPE\n    at y', 'EPIPE', undefined],
    [
      'ws proxy error:\nError: connect ECONNREFUSED\n    at z',
      'ECONNREFUSED',
      'ws proxy error: ECONNREFUSED boom',
    ],
    [
      'http proxy error: /graphql\nError\n    at z',
      'ETIMEDOUT',
      'http proxy error: /graphql: ETIMEDOUT boom',
    ],
    ['Pre-transform error: x', 'ENOENT', 'Pre-transform error: x'],
  ])('%j (%s) → %j', (message, code, expected) => {
    expect(proxyErrorLine(message, { code, message: 'boom' })).toBe(expected);
  });
});

describe('the app server’s /graphql/realtime proxy', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    vi.restoreAllMocks();
  });

  /** Opens a WebSocket handshake through the proxy; resolves when the connection ends. */
  const handshake = (port: number) =>
    new Promise<void>((resolve) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        path: '/graphql/realtime',
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('upgrade', (_res, socket) => {
        socket.destroy();
        resolve();
      });
      req.on('response', () => resolve());
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.end();
    });

  it('says nothing when the peer resets, and one line for any other failure', async () => {
    const logged: string[] = [];
    for (const method of ['error', 'warn', 'log'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
    // A backend that resets every upgrade, like a realtime endpoint dropped mid-handshake.
    const resetting = http.createServer();
    resetting.on('upgrade', (_req, socket) => socket.destroy());
    const graphqlPort = await freePort();
    await new Promise<void>((resolve) => resetting.listen(graphqlPort, '127.0.0.1', resolve));
    stops.push(() => new Promise((resolve) => resetting.close(() => resolve())));

    process.env.STEWARD_GRAPHQL_PORT = String(graphqlPort);
    const { createServer } = await import('vite');
    const appPort = await freePort();
    const server = await createServer({
      root: PROJECT_ROOT,
      configFile: path.join(PROJECT_ROOT, 'vite.config.ts'),
      server: { port: appPort, strictPort: true, host: '127.0.0.1' },
      logLevel: 'warn',
    });
    await server.listen();
    stops.push(() => server.close());

    await handshake(appPort);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logged.filter((line) => /proxy/.test(line))).toEqual([]);

    // Now nothing listens there: a refused connection is worth one line, without a stack.
    await new Promise<void>((resolve) => resetting.close(() => resolve()));
    await handshake(appPort);
    await vi.waitFor(() => expect(logged.some((line) => /proxy.*error/.test(line))).toBe(true));
    const proxyLines = logged.filter((line) => /proxy/.test(line));
    expect(proxyLines).toHaveLength(1);
    expect(proxyLines[0]).toMatch(/ws proxy error: ECONNREFUSED/);
    expect(proxyLines[0]).not.toMatch(/\n\s+at /);
    delete process.env.STEWARD_GRAPHQL_PORT;
  });
});
