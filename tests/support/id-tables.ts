import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Creates on-demand tables keyed by a string `id` alone, for tests of a store or a proxy. */
export async function createIdTables(client: DynamoDBClient, names: string[]): Promise<void> {
  for (const TableName of names) {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
  }
}
