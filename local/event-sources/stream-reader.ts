import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';

/** One page of a shard: its records and the iterator for the next (none once the shard is closed and read). */
export type StreamPage = { records: StreamRecord[]; next?: string };

/** Reads one DynamoDB stream: the port the shard poller reads through. */
export type StreamReader = {
  listShards(): Promise<Shard[]>;
  /** An iterator after `after`, or from the shard's start without it. */
  iterator(shardId: string, after?: string): Promise<string | undefined>;
  read(iterator: string, limit: number): Promise<StreamPage>;
};

/** A StreamReader over the DynamoDB Streams API. */
export class DynamoDbStreamReader implements StreamReader {
  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly streamArn: string,
  ) {}

  async listShards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  async iterator(shardId: string, after?: string): Promise<string | undefined> {
    const out = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        SequenceNumber: after,
      }),
    );
    return out.ShardIterator;
  }

  async read(iterator: string, limit: number): Promise<StreamPage> {
    const page = await this.streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }),
    );
    return { records: page.Records ?? [], next: page.NextShardIterator };
  }
}
