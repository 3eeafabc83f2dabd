import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDbClient } from '../../../local/dynamodb';
import { type DynamoDbStreamLambdaRecord, toLambdaRecord } from '../../../local/event-sources';

/**
 * Every record still in a table's stream, oldest first per shard, in the shape the notifier
 * receives them: what a test re-delivers or looks a sequence number up in.
 */
export async function readStream(
  endpoint: string,
  tableName: string,
): Promise<DynamoDbStreamLambdaRecord[]> {
  const dynamodb = localDynamoDbClient(endpoint);
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = table.Table?.LatestStreamArn ?? '';
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: StreamRecord[] = [];
    for (const shard of described.StreamDescription?.Shards ?? []) {
      let iterator = (
        await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...(page.Records ?? []));
        // An open shard always has a next iterator: an empty page means caught up.
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    return records.map((r) => toLambdaRecord(r, streamArn, LOCAL_REGION));
  } finally {
    streams.destroy();
    dynamodb.destroy();
  }
}
