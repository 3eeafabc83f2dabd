import type { IncomingHttpHeaders } from 'node:http';
import {
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { localDynamoDbClient } from './dynamodb';
import { type GateRequest, type HttpGate, type Refusal, startHttpGate } from './http-gate';

/** One DynamoDB call passing through a proxy: its operation (`Query`, `TransactWriteItems`, …). */
export type DynamoDbCall = { operation: string; body: Buffer; headers: IncomingHttpHeaders };

/** An HTTP proxy in front of DynamoDB Local. */
export type DynamoDbProxy = HttpGate;

const TARGET_PREFIX = 'DynamoDB_20120810.';

const callOf = (request: GateRequest): DynamoDbCall => ({
  operation: operationOf(request.headers),
  body: request.body,
  headers: request.headers,
});

/**
 * Forwards every request to `target` unchanged. `seen` is told of each call before it is
 * forwarded; `refuse` may answer it instead (an AWS error); `settle`, when given, runs after a
 * successful answer and before the caller gets it.
 */
export async function startDynamoDbProxy(
  target: string,
  hooks: {
    seen?: (call: DynamoDbCall) => void;
    refuse?: (call: DynamoDbCall) => Refusal | undefined;
    settle?: (call: DynamoDbCall) => Promise<void>;
  } = {},
): Promise<DynamoDbProxy> {
  const { seen, refuse, settle } = hooks;
  return startHttpGate(target, {
    seen: seen && ((request) => seen(callOf(request))),
    refuse: refuse && ((request) => refuse(callOf(request))),
    settle: settle && ((request) => settle(callOf(request))),
  });
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
export async function startCommitBarrier(
  target: string,
  options: { refuse?: (call: DynamoDbCall) => Refusal | undefined } = {},
): Promise<DynamoDbProxy> {
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
    refuse: options.refuse,
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
