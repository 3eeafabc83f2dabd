import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Puts `handler` in front of the server's current `request` listeners (the simulator's express
 * app, or an earlier guard): it sees each request first and calls `next` to pass it on.
 */
export function interceptRequests(
  server: Server,
  handler: (req: IncomingMessage, res: ServerResponse, next: RequestListener) => void,
): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  const next: RequestListener = (req, res) =>
    listeners.forEach((listener) => listener.call(server, req, res));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => handler(req, res, next));
}

/** The same for WebSocket upgrades. */
export function interceptUpgrades(
  server: Server,
  handler: (req: IncomingMessage, socket: Duplex, head: Buffer, next: UpgradeListener) => void,
): void {
  const listeners = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  const next: UpgradeListener = (req, socket, head) =>
    listeners.forEach((listener) => listener.call(server, req, socket, head));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    handler(req, socket, head, next),
  );
}
