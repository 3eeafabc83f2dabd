import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One DynamoDB call seen by the recorder: its operation and the table it names. */
export type RecordedCall = { operation: string; table?: string };

/** A recording HTTP proxy in front of DynamoDB Local. */
export type DynamoDbRecorder = {
  endpoint: string;
  calls: RecordedCall[];
  stop: () => Promise<void>;
};

/**
 * Forwards every request to DynamoDB Local unchanged and records its `X-Amz-Target`
 * (`DynamoDB_20120810.Query`, …) and table name, so a test can see what a request path issued.
 */
export async function startDynamoDbRecorder(target: string): Promise<DynamoDbRecorder> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const calls: RecordedCall[] = [];
  const server: Server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers['x-amz-target'] ?? '');
      let table: string | undefined;
      try {
        table = (JSON.parse(body.toString('utf8')) as { TableName?: string }).TableName;
      } catch {
        // not JSON: record the operation alone
      }
      calls.push({ operation, ...(table ? { table } : {}) });
      const forward = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: upstream.host },
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
