import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMappingDefinition } from './assembly';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoDbClient } from './dynamodb';
import { LocalRuntimeError } from './process-utils';

/** Running stream → Lambda mappings. */
export type EventSourceMappings = {
  /** Resolves once every shard has been polled empty after this call and nothing is in flight. */
  idle: () => Promise<void>;
  /** The on-failure records written so far (the local on-failure destination). */
  failures: () => Promise<StreamFailureRecord[]>;
  stop: () => Promise<void>;
};

/** What Lambda sends to a stream mapping's on-failure destination (SQS/SNS) for discarded records. */
export type StreamFailureRecord = {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
};

/** The DynamoDB stream record a function receives in `event.Records`. */
export type DynamoDbStreamLambdaRecord = {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
  userIdentity?: unknown;
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

type ShardState = { after?: string; done?: boolean };
type MappingState = { streamArn: string; shards: Record<string, ShardState> };

type Outcome =
  { kind: 'success' } | { kind: 'partial'; index: number } | { kind: 'error'; error: unknown };

/** The stream records as Lambda delivers them: plain JSON, binary as base64, times in seconds. */
function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, v]) => v !== undefined && key !== '$unknown')
        .map(([key, v]) => [key, toJson(v)]),
    );
  }
  return value;
}

/** A record read from a stream, in the shape a function receives it. */
export function toLambdaRecord(
  record: StreamRecord,
  streamArn: string,
  region: string,
): DynamoDbStreamLambdaRecord {
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName as DynamoDbStreamLambdaRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: toJson(record.dynamodb) as DynamoDbStreamLambdaRecord['dynamodb'],
    eventSourceARN: streamArn,
    ...(record.userIdentity ? { userIdentity: toJson(record.userIdentity) } : {}),
  };
}

function sequenceOf(record: StreamRecord): string {
  return record.dynamodb?.SequenceNumber ?? '';
}

function arrivalOf(record: StreamRecord | undefined): string {
  const at = record?.dynamodb?.ApproximateCreationDateTime;
  return at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : new Date().toISOString();
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Feeds each mapping's function from its table's stream with Lambda's semantics: every shard
 * polled in order, batches up to batchSize, at-least-once, retries with optional bisection,
 * partial batch responses, an on-failure destination (`failures.jsonl`) once retries are
 * exhausted, and per-shard checkpoints that survive restarts.
 */
export async function startEventSourceMappings(
  options: EventSourceMappingOptions,
): Promise<EventSourceMappings> {
  const log = options.log ?? (() => {});
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const functionArn =
    options.functionArn ??
    ((name: string) => `arn:aws:lambda:${LOCAL_REGION}:000000000000:function:${name}`);
  mkdirSync(options.stateDirectory, { recursive: true });
  const failuresFile = path.join(options.stateDirectory, 'failures.jsonl');
  const dynamodb = localDynamoDbClient(options.dynamoDbEndpoint);
  const streams = new DynamoDBStreamsClient({
    endpoint: options.dynamoDbEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });

  let stopped = false;
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const runners = await Promise.all(options.mappings.map((mapping) => startMapping(mapping)));

  async function startMapping(mapping: EventSourceMappingDefinition) {
    const tag = `${mapping.tableName} → ${mapping.functionName}`;
    const description = await dynamodb
      .send(new DescribeTableCommand({ TableName: mapping.tableName }))
      .catch((err: unknown) => {
        throw new LocalRuntimeError(
          `The stream mapping ${tag} cannot start: table ${mapping.tableName} was not found (${errorName(err)}).`,
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
    const stateFile = path.join(
      options.stateDirectory,
      `${mapping.functionName}--${mapping.tableName}.json`.replace(/[^a-zA-Z0-9._-]/g, '_'),
    );
    const saved = existsSync(stateFile)
      ? (JSON.parse(readFileSync(stateFile, 'utf8')) as MappingState)
      : undefined;
    // A recreated table has a new stream: its old checkpoints mean nothing.
    const firstStart = !saved || saved.streamArn !== streamArn;
    const state: MappingState = firstStart ? { streamArn, shards: {} } : saved;
    const save = () => {
      writeFileSync(`${stateFile}.tmp`, JSON.stringify(state, null, 2));
      renameSync(`${stateFile}.tmp`, stateFile);
    };

    async function listShards(): Promise<Shard[]> {
      const shards: Shard[] = [];
      let start: string | undefined;
      do {
        const page = await streams.send(
          new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
        );
        shards.push(...(page.StreamDescription?.Shards ?? []));
        start = page.StreamDescription?.LastEvaluatedShardId;
      } while (start);
      return shards;
    }

    async function iteratorFor(shardId: string): Promise<string | undefined> {
      const after = state.shards[shardId]?.after;
      const out = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          SequenceNumber: after,
        }),
      );
      return out.ShardIterator;
    }

    if (firstStart) {
      for (const shard of await listShards()) {
        const id = shard.ShardId ?? '';
        if (mapping.startingPosition === 'TRIM_HORIZON') {
          state.shards[id] = {};
        } else if (shard.SequenceNumberRange?.EndingSequenceNumber) {
          state.shards[id] = { done: true };
        } else {
          // LATEST, made concrete: the position after the last record now in the shard, so that
          // a restart before anything arrives still resumes from here rather than from "latest".
          let iterator = await iteratorFor(id);
          let last: string | undefined;
          while (iterator) {
            const page = await streams.send(
              new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
            );
            const records = page.Records ?? [];
            if (!records.length) break;
            last = sequenceOf(records[records.length - 1] as StreamRecord);
            iterator = page.NextShardIterator;
          }
          state.shards[id] = last ? { after: last } : {};
        }
      }
      save();
    }

    const running = new Map<string, Promise<void>>();
    /** performance.now() of the start of the last poll that found a shard empty. */
    const lastEmptyPoll = new Map<string, number>();
    let inFlight = 0;
    let lastDiscovery = 0;

    async function discover(): Promise<void> {
      const started = performance.now();
      const shards = await listShards();
      const listed = new Set(shards.map((s) => s.ShardId));
      for (const shard of shards) {
        const id = shard.ShardId ?? '';
        state.shards[id] ??= {};
      }
      for (const shard of shards) {
        const id = shard.ShardId ?? '';
        if (running.has(id) || state.shards[id]?.done) continue;
        // A child shard waits until its parent is read to the end, so a key's records stay in order.
        const parent = shard.ParentShardId;
        if (parent && listed.has(parent) && !state.shards[parent]?.done) continue;
        running.set(id, runShard(id));
      }
      lastDiscovery = started;
    }

    async function runShard(shardId: string): Promise<void> {
      let iterator: string | undefined;
      while (!stopped) {
        const pollStarted = performance.now();
        let records: StreamRecord[];
        let next: string | undefined;
        try {
          iterator ??= await iteratorFor(shardId);
          if (!iterator) break;
          const page = await streams.send(
            new GetRecordsCommand({ ShardIterator: iterator, Limit: mapping.batchSize }),
          );
          records = page.Records ?? [];
          next = page.NextShardIterator;
          // Batching window: gather more records before invoking, up to batchSize.
          const windowEnds = Date.now() + mapping.maximumBatchingWindowSeconds * 1000;
          while (
            records.length &&
            next &&
            records.length < mapping.batchSize &&
            Date.now() < windowEnds &&
            !stopped
          ) {
            await sleep(Math.min(pollIntervalMs, windowEnds - Date.now()));
            const more = await streams.send(
              new GetRecordsCommand({
                ShardIterator: next,
                Limit: mapping.batchSize - records.length,
              }),
            );
            records.push(...(more.Records ?? []));
            next = more.NextShardIterator;
          }
        } catch (err) {
          if (stopped) break;
          if (!(
            err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException
          )) {
            log(`stream ${tag}: reading ${shardId} failed (${errorName(err)}); retrying`);
            await sleep(1000);
          }
          iterator = undefined;
          continue;
        }
        if (records.length) {
          inFlight += 1;
          try {
            await deliver(shardId, records);
          } finally {
            inFlight -= 1;
          }
          // Stopped mid-batch: the unprocessed rest is re-read from the checkpoint next start.
          if (stopped) break;
        }
        if (!next) {
          state.shards[shardId] = { ...state.shards[shardId], done: true };
          save();
          running.delete(shardId);
          // Children of this shard may start now.
          await discover().catch((err: unknown) => log(`stream ${tag}: ${errorName(err)}`));
          return;
        }
        iterator = next;
        if (!records.length) {
          lastEmptyPoll.set(shardId, pollStarted);
          await sleep(pollIntervalMs);
        }
      }
      running.delete(shardId);
    }

    function checkpoint(shardId: string, record: StreamRecord): void {
      state.shards[shardId] = { ...state.shards[shardId], after: sequenceOf(record) };
      save();
    }

    async function invokeBatch(batch: StreamRecord[]): Promise<Outcome> {
      let result: unknown;
      try {
        result = await options.invoke(mapping.functionName, {
          Records: batch.map((r) => toLambdaRecord(r, streamArn, LOCAL_REGION)),
        });
      } catch (error) {
        return { kind: 'error', error };
      }
      if (!mapping.reportBatchItemFailures || result === null || typeof result !== 'object')
        return { kind: 'success' };
      const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
      if (
        failures === undefined ||
        failures === null ||
        (Array.isArray(failures) && failures.length === 0)
      ) {
        return { kind: 'success' };
      }
      const indices = Array.isArray(failures)
        ? failures.map((f: { itemIdentifier?: unknown } | null) =>
            batch.findIndex(
              (r) =>
                typeof f?.itemIdentifier === 'string' &&
                f.itemIdentifier !== '' &&
                sequenceOf(r) === f.itemIdentifier,
            ),
          )
        : [-1];
      // As on AWS, an identifier that is empty or not in the batch fails the whole batch.
      if (indices.some((i) => i < 0)) {
        return {
          kind: 'error',
          error: new Error(
            `batchItemFailures names records not in the batch: ${JSON.stringify(failures)}`,
          ),
        };
      }
      return { kind: 'partial', index: Math.min(...indices) };
    }

    function recordFailure(
      shardId: string,
      batch: StreamRecord[],
      invokeCount: number,
      outcome: Outcome,
    ): void {
      const error = outcome.kind === 'error' ? outcome.error : undefined;
      const isFunctionError = !!error && typeof error === 'object' && 'errorType' in error;
      const record: StreamFailureRecord = {
        requestContext: {
          requestId: randomUUID(),
          functionArn: functionArn(mapping.functionName),
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: invokeCount,
        },
        responseContext: {
          statusCode: error && !isFunctionError ? 500 : 200,
          executedVersion: '$LATEST',
          ...(isFunctionError ? { functionError: 'Unhandled' } : {}),
        },
        version: '1.0',
        timestamp: new Date().toISOString(),
        DDBStreamBatchInfo: {
          shardId,
          startSequenceNumber: sequenceOf(batch[0] as StreamRecord),
          endSequenceNumber: sequenceOf(batch[batch.length - 1] as StreamRecord),
          approximateArrivalOfFirstRecord: arrivalOf(batch[0]),
          approximateArrivalOfLastRecord: arrivalOf(batch[batch.length - 1]),
          batchSize: batch.length,
          streamArn,
        },
      };
      appendFileSync(failuresFile, `${JSON.stringify(record)}\n`);
      log(
        `stream ${tag}: ${batch.length} record(s) discarded after ${invokeCount} attempt(s)` +
          `${error ? ` (${errorName(error)})` : ''}; on-failure record written to ${failuresFile}`,
      );
    }

    /** Delivers one batch until every record succeeded or went to the failure destination. */
    async function deliver(shardId: string, records: StreamRecord[]): Promise<void> {
      const queue: { batch: StreamRecord[]; attempts: number }[] = [
        { batch: records, attempts: 0 },
      ];
      while (queue.length && !stopped) {
        const { batch, attempts } = queue.shift() as { batch: StreamRecord[]; attempts: number };
        const outcome = await invokeBatch(batch);
        if (outcome.kind === 'success') {
          checkpoint(shardId, batch[batch.length - 1] as StreamRecord);
          continue;
        }
        let failed = batch;
        if (outcome.kind === 'partial') {
          // Records before the first reported failure are done: checkpoint and retry from it.
          if (outcome.index > 0) checkpoint(shardId, batch[outcome.index - 1] as StreamRecord);
          failed = batch.slice(outcome.index);
        } else {
          log(
            `stream ${tag}: batch of ${batch.length} failed (attempt ${attempts + 1}): ${errorName(outcome.error)}`,
          );
        }
        // Bisection isolates a bad record without using up the retry budget of the good ones.
        if (outcome.kind === 'error' && mapping.bisectBatchOnFunctionError && failed.length > 1) {
          const middle = Math.ceil(failed.length / 2);
          queue.unshift(
            { batch: failed.slice(0, middle), attempts },
            { batch: failed.slice(middle), attempts },
          );
          continue;
        }
        const exhausted =
          mapping.maximumRetryAttempts >= 0 && attempts >= mapping.maximumRetryAttempts;
        if (exhausted) {
          recordFailure(shardId, failed, attempts + 1, outcome);
          checkpoint(shardId, failed[failed.length - 1] as StreamRecord);
          continue;
        }
        await sleep(Math.min(retryDelayMs * 2 ** attempts, retryDelayMs * 8));
        queue.unshift({ batch: failed, attempts: attempts + 1 });
      }
    }

    let discovering: Promise<void> = discover();
    await discovering;
    const discoveryLoop = (async () => {
      while (!stopped) {
        await sleep(1000);
        if (stopped) break;
        discovering = discover().catch((err: unknown) =>
          log(`stream ${tag}: listing shards failed (${errorName(err)})`),
        );
        await discovering;
      }
    })();

    return {
      /** True when every shard was polled empty after `since` and nothing is being delivered. */
      idleSince(since: number): boolean {
        if (inFlight > 0 || lastDiscovery < since) return false;
        for (const id of running.keys()) {
          if ((lastEmptyPoll.get(id) ?? -1) < since) return false;
        }
        return true;
      },
      refresh: async () => {
        await discovering;
        discovering = discover();
        await discovering;
      },
      stop: async () => {
        await discoveryLoop;
        await Promise.allSettled([...running.values()]);
      },
    };
  }

  return {
    idle: async () => {
      const since = performance.now();
      await Promise.all(runners.map((r) => r.refresh()));
      while (!stopped && !runners.every((r) => r.idleSince(since))) await sleep(20);
    },
    failures: async () => {
      if (!existsSync(failuresFile)) return [];
      const text = await readFile(failuresFile, 'utf8');
      return text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as StreamFailureRecord);
    },
    stop: async () => {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(runners.map((r) => r.stop()));
      streams.destroy();
      dynamodb.destroy();
    },
  };
}
