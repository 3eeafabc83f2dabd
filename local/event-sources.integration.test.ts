import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventSourceMappingDefinition, TableDefinition } from './assembly';
import {
  type DynamoDbStreamLambdaRecord,
  type EventSourceMappings,
  startEventSourceMappings,
} from './event-sources';
import { startTestDynamoDb, type TestDynamoDb } from './testing/dynamodb-local';

const table = (name: string): TableDefinition => ({
  logicalId: `${name}Table`,
  tableName: name,
  keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  globalSecondaryIndexes: [],
  streamViewType: 'NEW_AND_OLD_IMAGES',
});

const mappingFor = (
  tableName: string,
  overrides: Partial<EventSourceMappingDefinition> = {},
): EventSourceMappingDefinition => ({
  functionName: 'notifier',
  tableName,
  batchSize: 25,
  maximumRetryAttempts: 2,
  bisectBatchOnFunctionError: true,
  reportBatchItemFailures: true,
  maximumBatchingWindowSeconds: 0,
  startingPosition: 'LATEST',
  ...overrides,
});

type Event = { Records: DynamoDbStreamLambdaRecord[] };
const idsOf = (event: Event) =>
  event.Records.map((r) => r.dynamodb.Keys?.id as { S: string }).map((k) => k.S);

let dynamo: TestDynamoDb;
const running: EventSourceMappings[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamoDb(['Shape', 'Partial', 'Poison', 'Whole', 'Restart'].map(table));
});
afterAll(async () => {
  await Promise.all(running.map((m) => m.stop()));
  await dynamo?.stop();
});

const put = (tableName: string, id: string, extra: Record<string, { S: string }> = {}) =>
  dynamo.client.send(
    new PutItemCommand({ TableName: tableName, Item: { id: { S: id }, ...extra } }),
  );

async function start(
  tableName: string,
  handler: (event: Event) => unknown,
  overrides: Partial<EventSourceMappingDefinition> = {},
  stateDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-streams-')),
) {
  const mappings = await startEventSourceMappings({
    mappings: [mappingFor(tableName, overrides)],
    invoke: async (_name, event) => handler(event as Event),
    dynamoDbEndpoint: dynamo.endpoint,
    stateDirectory,
    retryDelayMs: 10,
  });
  running.push(mappings);
  return { mappings, stateDirectory };
}

describe('event source mappings', () => {
  it("delivers INSERT, MODIFY and REMOVE in order with Lambda's record shape, from LATEST", async () => {
    await put('Shape', 'before-start');
    const events: Event[] = [];
    const { mappings } = await start('Shape', (event) => {
      events.push(event);
    });
    await put('Shape', 'a', { title: { S: 'first' } });
    await dynamo.client.send(
      new UpdateItemCommand({
        TableName: 'Shape',
        Key: { id: { S: 'a' } },
        UpdateExpression: 'SET title = :t',
        ExpressionAttributeValues: { ':t': { S: 'second' } },
      }),
    );
    await dynamo.client.send(
      new DeleteItemCommand({ TableName: 'Shape', Key: { id: { S: 'a' } } }),
    );
    await mappings.idle();
    const records = events.flatMap((e) => e.Records);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify] = records as [DynamoDbStreamLambdaRecord, DynamoDbStreamLambdaRecord];
    expect(insert).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
      eventSourceARN: expect.stringContaining('table/Shape/stream/'),
      dynamodb: {
        Keys: { id: { S: 'a' } },
        NewImage: { id: { S: 'a' }, title: { S: 'first' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
        SequenceNumber: expect.any(String),
        SizeBytes: expect.any(Number),
        ApproximateCreationDateTime: expect.any(Number),
      },
    });
    expect(modify.dynamodb.OldImage).toEqual({ id: { S: 'a' }, title: { S: 'first' } });
    expect(modify.dynamodb.NewImage).toEqual({ id: { S: 'a' }, title: { S: 'second' } });
    expect(records.some((r) => JSON.stringify(r).includes('before-start'))).toBe(false);
  });

  it('retries from the first item a partial batch response names, and only from there', async () => {
    const seen: string[] = [];
    let failedOnce = false;
    const { mappings } = await start('Partial', (event) => {
      const ids = idsOf(event);
      seen.push(...ids);
      const index = ids.indexOf('p3');
      if (index >= 0 && !failedOnce) {
        failedOnce = true;
        return {
          batchItemFailures: [{ itemIdentifier: event.Records[index]?.dynamodb.SequenceNumber }],
        };
      }
      return { batchItemFailures: [] };
    });
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) await put('Partial', id);
    await mappings.idle();
    const count = (id: string) => seen.filter((s) => s === id).length;
    expect(failedOnce).toBe(true);
    expect([count('p1'), count('p2'), count('p3')]).toEqual([1, 1, 2]);
    expect(count('p4')).toBeGreaterThanOrEqual(1);
    expect(count('p5')).toBeGreaterThanOrEqual(1);
    expect(await mappings.failures()).toEqual([]);
  });

  it('treats an unknown batchItemFailures identifier as a whole-batch failure', async () => {
    const seen: string[] = [];
    let answered = false;
    const { mappings } = await start(
      'Whole',
      (event) => {
        seen.push(...idsOf(event));
        if (!answered) {
          answered = true;
          return { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] };
        }
        return {};
      },
      { bisectBatchOnFunctionError: false },
    );
    await put('Whole', 'w1');
    await mappings.idle();
    expect(seen).toEqual(['w1', 'w1']);
  });

  it('isolates a poison record by bisection, sends it to the failure destination after bounded retries, and keeps flowing', async () => {
    const delivered: string[] = [];
    let poisonAttempts = 0;
    const { mappings } = await start('Poison', (event) => {
      const ids = idsOf(event);
      if (ids.includes('poison')) {
        if (ids.length === 1) poisonAttempts += 1;
        throw new Error('cannot process poison');
      }
      delivered.push(...ids);
      return undefined;
    });
    const ids = ['r1', 'r2', 'r3', 'r4', 'poison', 'r6', 'r7', 'r8'];
    for (const id of ids) await put('Poison', id);
    await mappings.idle();
    const failures = await mappings.failures();
    expect(failures).toHaveLength(1);
    const [failure] = failures;
    expect(failure).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
        functionArn: expect.stringContaining(':function:notifier'),
      },
      responseContext: { statusCode: 500, executedVersion: '$LATEST' },
      version: '1.0',
      DDBStreamBatchInfo: {
        batchSize: 1,
        streamArn: expect.stringContaining('table/Poison/stream/'),
        shardId: expect.any(String),
      },
    });
    expect(failure?.DDBStreamBatchInfo.startSequenceNumber).toBe(
      failure?.DDBStreamBatchInfo.endSequenceNumber,
    );
    expect(poisonAttempts).toBe(3);
    expect(new Set(delivered)).toEqual(new Set(ids.filter((id) => id !== 'poison')));
    await put('Poison', 'after');
    await mappings.idle();
    expect(delivered).toContain('after');
    expect(await mappings.failures()).toHaveLength(1);
  });

  it('resumes from its checkpoints after a restart without losing or repeating records', async () => {
    const seen: string[] = [];
    const handler = (event: Event) => {
      seen.push(...idsOf(event));
    };
    await put('Restart', 'old');
    const first = await start('Restart', handler);
    for (const id of ['x1', 'x2', 'x3']) await put('Restart', id);
    await first.mappings.idle();
    await first.mappings.stop();
    for (const id of ['y1', 'y2', 'y3']) await put('Restart', id);
    // LATEST applies only to the very first start: these must still arrive.
    const second = await start('Restart', handler, {}, first.stateDirectory);
    await second.mappings.idle();
    expect(seen).toEqual(['x1', 'x2', 'x3', 'y1', 'y2', 'y3']);
  });
});
