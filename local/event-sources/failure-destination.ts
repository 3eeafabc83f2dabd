import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { arrivalOf, sequenceOf } from './lambda-records';

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

/** The on-failure record for records discarded after `invokeCount` attempts. */
export function failureRecord(discarded: {
  functionArn: string;
  streamArn: string;
  shardId: string;
  records: StreamRecord[];
  invokeCount: number;
  /** The last attempt's error; none when it was a partial batch response. */
  error?: unknown;
}): StreamFailureRecord {
  const { records, error } = discarded;
  // A function error carries errorType; anything else failed the invocation itself.
  const isFunctionError = !!error && typeof error === 'object' && 'errorType' in error;
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: discarded.functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: discarded.invokeCount,
    },
    responseContext: {
      statusCode: error && !isFunctionError ? 500 : 200,
      executedVersion: '$LATEST',
      ...(isFunctionError ? { functionError: 'Unhandled' } : {}),
    },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: discarded.shardId,
      startSequenceNumber: sequenceOf(records[0]),
      endSequenceNumber: sequenceOf(records[records.length - 1]),
      approximateArrivalOfFirstRecord: arrivalOf(records[0]),
      approximateArrivalOfLastRecord: arrivalOf(records[records.length - 1]),
      batchSize: records.length,
      streamArn: discarded.streamArn,
    },
  };
}

/** The local on-failure destination: one JSON line per discarded batch, kept across restarts. */
export class FailureDestination {
  constructor(readonly file: string) {}

  write(record: StreamFailureRecord): void {
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }

  async read(): Promise<StreamFailureRecord[]> {
    if (!existsSync(this.file)) return [];
    const text = await readFile(this.file, 'utf8');
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as StreamFailureRecord);
  }
}
