import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableDefinition } from './assembly';
import {
  type DynamoDbLocal,
  ensureTables,
  localDynamoDbClient,
  startDynamoDbLocal,
  streamsOnlyWhereRead,
} from './dynamodb';
import { freePort } from './process-utils';

const table = (tableName: string, streamed = true): TableDefinition =>
  ({
    tableName,
    logicalId: tableName,
    modelName: tableName,
    keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    globalSecondaryIndexes: [],
    ...(streamed ? { streamViewType: 'NEW_AND_OLD_IMAGES' } : {}),
  }) as TableDefinition;

describe('streamsOnlyWhereRead', () => {
  it('keeps the stream of a table a function reads and drops the others', () => {
    const kept = streamsOnlyWhereRead(
      [table('WorkOrder'), table('Organization'), table('Profile', false)],
      [{ tableName: 'WorkOrder' }],
    );
    expect(kept.map((t) => [t.tableName, t.streamViewType])).toEqual([
      ['WorkOrder', 'NEW_AND_OLD_IMAGES'],
      ['Organization', undefined],
      ['Profile', undefined],
    ]);
  });
});

describe('ensureTables on DynamoDB Local', () => {
  let dynamodb: DynamoDbLocal;
  let client: DynamoDBClient;
  const stream = async (name: string) =>
    (await client.send(new DescribeTableCommand({ TableName: name }))).Table?.StreamSpecification;

  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal({ port: await freePort() });
    client = localDynamoDbClient(dynamodb.endpoint);
  }, 60_000);
  afterAll(async () => {
    client?.destroy();
    await dynamodb?.stop();
  });

  it('creates streams as defined, then turns an existing stream off or on to match', async () => {
    expect(
      await ensureTables(client, [table('Kept'), table('Dropped'), table('Added', false)]),
    ).toEqual(['Kept', 'Dropped', 'Added']);
    expect((await stream('Added'))?.StreamEnabled ?? false).toBe(false);

    // A later start with other definitions: nothing is created, the streams follow them.
    expect(
      await ensureTables(client, [table('Kept'), table('Dropped', false), table('Added')]),
    ).toEqual([]);
    expect(await stream('Kept')).toMatchObject({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect((await stream('Dropped'))?.StreamEnabled ?? false).toBe(false);
    expect(await stream('Added')).toMatchObject({
      StreamEnabled: true,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
  });
});
