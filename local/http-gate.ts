import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request passing through a gate, its body read whole. */
export type GateRequest = {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
};

/** An answer a gate gives itself instead of forwarding the request. */
export type Refusal = { status: number; headers: Record<string, string>; body: string };

export type GateHooks = {
  /** Told of each request before anything else happens to it. */
  seen?: (request: GateRequest) => void;
  /** Answers the request itself (an AWS error) instead of forwarding it. */
  refuse?: (request: GateRequest) => Refusal | undefined;
  /** Runs after a successful (200) answer and before the caller gets it. */
  settle?: (request: GateRequest) => Promise<void>;
};

/** An HTTP endpoint in front of a local emulator: what the backend's functions are given. */
export type HttpGate = { endpoint: string; stop: () => Promise<void> };

/**
 * Forwards every request to `target` unchanged, unless `refuse` answers it. This is where the
 * local runtime does what AWS does between a caller and a service and the emulators do not
 * (authorizing the caller, acknowledging a write only once stored).
 */
export async function startHttpGate(target: string, hooks: GateHooks = {}): Promise<HttpGate> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server: Server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: GateRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      hooks.seen?.(request);
      const refusal = hooks.refuse?.(request);
      if (refusal) {
        res.writeHead(refusal.status, refusal.headers).end(refusal.body);
        return;
      }
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: request.url,
          method: request.method,
          headers: { ...req.headers, host: upstream.host },
          agent,
        },
        (answer) => {
          const status = answer.statusCode ?? 502;
          if (!hooks.settle || status !== 200) {
            res.writeHead(status, answer.headers);
            answer.pipe(res);
            return;
          }
          const settle = hooks.settle;
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            settle(request).then(
              () => {
                res.writeHead(status, answer.headers);
                res.end(Buffer.concat(parts));
              },
              (err: unknown) => {
                res.writeHead(502, { 'content-type': 'text/plain' });
                res.end(`The write was not confirmed as stored: ${String(err)}`);
              },
            );
          });
        },
      );
      forward.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
      forward.end(request.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
