import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaFunctionError, type LambdaRunner } from './lambda-runner';
import { LocalRuntimeError } from './process-utils';

/** The Lambda Invoke REST API in front of a runner. */
export type LambdaApi = { url: string; stop: () => Promise<void> };

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/** `my-fn`, `my-fn:$LATEST` or `arn:aws:lambda:…:function:my-fn[:qualifier]` → `my-fn`. */
export function functionNameOf(identifier: string): string {
  const arn = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::.*)?$/.exec(identifier);
  if (arn?.[1]) return arn[1];
  return identifier.split(':')[0] ?? identifier;
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': crypto.randomUUID(),
    ...headers,
  });
  res.end(body);
}

function sendServiceError(
  res: http.ServerResponse,
  status: number,
  type: string,
  message: string,
): void {
  sendJson(res, status, JSON.stringify({ Type: 'User', message }), { 'x-amzn-ErrorType': type });
}

/**
 * Serves `POST /2015-03-31/functions/{name}/invocations` like Lambda: RequestResponse answers with
 * the payload (and `X-Amz-Function-Error: Unhandled` plus the error payload on a function error),
 * Event answers 202 and runs in the background, DryRun answers 204.
 */
export async function startLambdaApi(options: {
  port: number;
  runner: LambdaRunner;
  host?: string;
  log?: (line: string) => void;
}): Promise<LambdaApi> {
  const { runner } = options;
  const log = options.log ?? (() => {});
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        log(`lambda api: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent)
          sendServiceError(res, 500, 'ServiceException', 'Internal error of the local Lambda API.');
      });
    });
  });

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: string,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match?.[1]) {
      sendServiceError(
        res,
        404,
        'UnknownOperationException',
        `Unsupported operation: ${req.method} ${url.pathname}`,
      );
      return;
    }
    const name = functionNameOf(decodeURIComponent(match[1]));
    if (!runner.has(name)) {
      sendServiceError(
        res,
        404,
        'ResourceNotFoundException',
        `Function not found: ${runner.arn(name)}`,
      );
      return;
    }
    let event: unknown = {};
    if (body.trim()) {
      try {
        event = JSON.parse(body);
      } catch {
        sendServiceError(
          res,
          400,
          'InvalidRequestContentException',
          'Could not parse request body into json',
        );
        return;
      }
    }
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const versionHeader = { 'X-Amz-Executed-Version': '$LATEST' };
    if (invocationType === 'DryRun') {
      res.writeHead(204, versionHeader).end();
      return;
    }
    if (invocationType === 'Event') {
      runner.invoke(name, event).catch((err: unknown) => {
        log(
          `lambda api: async invocation of ${name} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
      res.writeHead(202, versionHeader).end();
      return;
    }
    try {
      const result = await runner.invoke(name, event);
      sendJson(res, 200, JSON.stringify(result ?? null), versionHeader);
    } catch (err) {
      if (err instanceof LambdaFunctionError) {
        sendJson(res, 200, JSON.stringify(err.payload()), {
          ...versionHeader,
          'X-Amz-Function-Error': 'Unhandled',
        });
        return;
      }
      throw err;
    }
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new LocalRuntimeError(
          `The local Lambda API could not listen on ${host}:${options.port} (${err.code ?? err.message}).`,
          'Free the port or choose another one.',
          { cause: err },
        ),
      ),
    );
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
