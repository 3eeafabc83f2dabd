import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../assembly';
import {
  type DynamoDbLocal,
  ensureTables,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '../dynamodb';
import { freePort } from '../process-utils';

/** A DynamoDB Local of a test, with a client to it. */
export type TestDynamoDb = DynamoDbLocal & { client: DynamoDBClient };

/**
 * DynamoDB Local in memory on a free port, with the tables created, for the tests beside the code
 * that need a real one; `stop` closes the client and ends the emulator.
 */
export async function startTestDynamoDb(tables: TableDefinition[] = []): Promise<TestDynamoDb> {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const client = localDynamoDbClient(dynamo.endpoint);
  try {
    await ensureTables(client, tables);
  } catch (err) {
    client.destroy();
    await dynamo.stop();
    throw err;
  }
  return {
    ...dynamo,
    client,
    stop: async () => {
      client.destroy();
      await dynamo.stop();
    },
  };
}
