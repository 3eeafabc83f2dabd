import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMappingDefinition } from '../assembly';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDbClient } from '../dynamodb';
import { LocalRuntimeError } from '../process-utils';
import { BatchInvoker } from './batch-invoker';
import { ShardCheckpoints } from './checkpoints';
import { failureRecord, FailureDestination, type StreamFailureRecord } from './failure-destination';
import { errorText } from './lambda-records';
import { ShardPoller } from './shard-poller';
import { Stopper } from './stopper';
import { DynamoDbStreamReader } from './stream-reader';

export { type DynamoDbStreamLambdaRecord, toLambdaRecord } from './lambda-records';
export type { StreamFailureRecord } from './failure-destination';

/** Running stream → Lambda mappings. */
export type EventSourceMappings = {
  /** Resolves once every shard has been polled empty after this call and nothing is in flight. */
  idle: () => Promise<void>;
  /** The on-failure records written so far (the local on-failure destination). */
  failures: () => Promise<StreamFailureRecord[]>;
  stop: () => Promise<void>;
};

export type EventSourceMappingOptions = {
  mappings: EventSourceMappingDefinition[];
  /** Synchronous invoke; a rejection is a function error. */
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
  dynamoDbEndpoint: string;
  /** Checkpoints per shard and `failures.jsonl`, kept across restarts. */
  stateDirectory: string;
  log?: (line: string) => void;
  /** How often a caught-up shard is polled (Lambda: about 4 times a second). */
  pollIntervalMs?: number;
  /** First retry delay; it doubles per attempt up to 8 × this (default 250 ms). */
  retryDelayMs?: number;
  /** ARN written into failure records. */
  functionArn?: (functionName: string) => string;
};

/**
 * Feeds each mapping's function from its table's stream with Lambda's semantics: every shard
 * polled in order (ShardPoller), batches up to batchSize, at-least-once, retries with optional
 * bisection and partial batch responses (BatchInvoker), an on-failure destination
 * (`failures.jsonl`, FailureDestination) once retries are exhausted, and per-shard checkpoints
 * that survive restarts (ShardCheckpoints).
 */
export async function startEventSourceMappings(
  options: EventSourceMappingOptions,
): Promise<EventSourceMappings> {
  const log = options.log ?? (() => {});
  const functionArn =
    options.functionArn ??
    ((name: string) => `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${name}`);
  mkdirSync(options.stateDirectory, { recursive: true });
  const destination = new FailureDestination(path.join(options.stateDirectory, 'failures.jsonl'));
  const dynamodb = localDynamoDbClient(options.dynamoDbEndpoint);
  const streams = new DynamoDBStreamsClient({
    endpoint: options.dynamoDbEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const stopper = new Stopper();

  async function startMapping(mapping: EventSourceMappingDefinition): Promise<ShardPoller> {
    const tag = `${mapping.tableName} → ${mapping.functionName}`;
    const description = await dynamodb
      .send(new DescribeTableCommand({ TableName: mapping.tableName }))
      .catch((err: unknown) => {
        throw new LocalRuntimeError(
          `The stream mapping ${tag} cannot start: table ${mapping.tableName} was not found (${errorText(err)}).`,
          'Create the tables (ensureTables) before starting the event source mappings.',
          { cause: err },
        );
      });
    const streamArn = description.Table?.LatestStreamArn ?? '';
    if (!streamArn || !description.Table?.StreamSpecification?.StreamEnabled) {
      throw new LocalRuntimeError(
        `The stream mapping ${tag} cannot start: table ${mapping.tableName} has no stream.`,
        'Give the table a StreamSpecification (the synthesized tables have NEW_AND_OLD_IMAGES).',
      );
    }
    const checkpoints = ShardCheckpoints.open(
      ShardCheckpoints.fileFor(options.stateDirectory, mapping.functionName, mapping.tableName),
      streamArn,
    );
    const invoker = new BatchInvoker({
      mapping,
      streamArn,
      region: LOCAL_REGION,
      invoke: options.invoke,
      checkpoint: (shardId, sequenceNumber) => checkpoints.advance(shardId, sequenceNumber),
      discard: (shardId, records, invokeCount, error) => {
        destination.write(
          failureRecord({
            functionArn: functionArn(mapping.functionName),
            streamArn,
            shardId,
            records,
            invokeCount,
            error,
          }),
        );
        log(
          `stream ${tag}: ${records.length} record(s) discarded after ${invokeCount} attempt(s)` +
            `${error ? ` (${errorText(error)})` : ''}; on-failure record written to ${destination.file}`,
        );
      },
      stopper,
      retryDelayMs: options.retryDelayMs ?? 250,
      log,
      tag,
    });
    const poller = new ShardPoller({
      mapping,
      reader: new DynamoDbStreamReader(streams, streamArn),
      checkpoints,
      deliver: (shardId, records) => invoker.deliver(shardId, records),
      stopper,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      log,
      tag,
    });
    await poller.start();
    return poller;
  }

  const pollers = await Promise.all(options.mappings.map((mapping) => startMapping(mapping)));

  return {
    idle: async () => {
      const since = performance.now();
      await Promise.all(pollers.map((p) => p.refresh()));
      while (!stopper.stopped && !pollers.every((p) => p.idleSince(since))) await stopper.sleep(20);
    },
    failures: () => destination.read(),
    stop: async () => {
      stopper.stop();
      await Promise.all(pollers.map((p) => p.stop()));
      streams.destroy();
      dynamodb.destroy();
    },
  };
}
