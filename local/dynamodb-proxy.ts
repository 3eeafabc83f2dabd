import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient } from './dynamodb';

/** One DynamoDB call passing through a proxy: its operation (`Query`, `TransactWriteItems`, …). */
export type DynamoDbCall = { operation: string; body: Buffer };

/** An HTTP proxy in front of DynamoDB Local. */
export type DynamoDbProxy = {
  endpoint: string;
  stop: () => Promise<void>;
};

const TARGET_PREFIX = 'DynamoDB_20120810.';

/**
 * Forwards every request to `target` unchanged. `seen` is told of each call before it is
 * forwarded; `settle`, when given, runs after a successful answer and before the caller gets it.
 */
export async function startDynamoDbProxy(
  target: string,
  hooks: {
    seen?: (call: DynamoDbCall) => void;
    settle?: (call: DynamoDbCall) => Promise<void>;
  } = {},
): Promise<DynamoDbProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server: Server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const call = { operation: operationOf(req.headers), body };
      hooks.seen?.(call);
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
            settle(call).then(
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
      forward.end(body);
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

/** `Query` for `X-Amz-Target: DynamoDB_20120810.Query`; '' when there is none. */
function operationOf(headers: IncomingHttpHeaders): string {
  const target = String(headers['x-amz-target'] ?? '');
  return target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
}

type TransactItem = {
  Put?: { TableName: string; Item: Record<string, AttributeValue> };
  Update?: { TableName: string; Key: Record<string, AttributeValue> };
  Delete?: { TableName: string; Key: Record<string, AttributeValue> };
  ConditionCheck?: { TableName: string; Key: Record<string, AttributeValue> };
};

/**
 * DynamoDB Local answers a TransactWriteItems before the transaction is stored: its SQLite layer
 * queues the COMMIT on the database's single worker thread and returns without waiting for it, so
 * a process killed at that moment loses a write its caller was told succeeded (about one run in
 * two of a kill under load). Every other write waits for its own statement. The queue runs in
 * order, so one consistent read queued after the COMMIT returns only once the COMMIT has run: the
 * proxy reads back an item the transaction wrote before it passes the success on.
 *
 * This is the endpoint the backend's functions use locally; DynamoDB itself acknowledges a
 * transaction only once it is durable, so nothing of this exists in the cloud.
 */
export async function startCommitBarrier(target: string): Promise<DynamoDbProxy> {
  const client: DynamoDBClient = localDynamoDbClient(target);
  const keyNames = new Map<string, Promise<string[]>>();
  const keyNamesOf = (table: string): Promise<string[]> => {
    let names = keyNames.get(table);
    if (!names) {
      names = client
        .send(new DescribeTableCommand({ TableName: table }))
        .then(({ Table }) => (Table?.KeySchema ?? []).map((k) => String(k.AttributeName)));
      names.catch(() => keyNames.delete(table));
      keyNames.set(table, names);
    }
    return names;
  };
  const proxy = await startDynamoDbProxy(target, {
    settle: async ({ operation, body }) => {
      if (operation !== 'TransactWriteItems') return;
      const first = (JSON.parse(body.toString('utf8')) as { TransactItems?: TransactItem[] })
        .TransactItems?.[0];
      if (!first) return;
      let table: string;
      let key: Record<string, AttributeValue>;
      if (first.Put) {
        table = first.Put.TableName;
        const item = first.Put.Item;
        key = Object.fromEntries(
          (await keyNamesOf(table)).map((name) => [name, item[name] as AttributeValue]),
        );
      } else {
        const keyed = (first.Update ?? first.Delete ?? first.ConditionCheck) as {
          TableName: string;
          Key: Record<string, AttributeValue>;
        };
        table = keyed.TableName;
        key = keyed.Key;
      }
      await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    },
  });
  return {
    endpoint: proxy.endpoint,
    stop: async () => {
      await proxy.stop();
      client.destroy();
    },
  };
}
