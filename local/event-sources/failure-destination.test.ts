import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FailureDestination, failureRecord } from './failure-destination';
import { streamRecord } from './test-records';

const base = {
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:notifier',
  streamArn: 'arn:aws:dynamodb:local:000000000000:table/T/stream/1',
  shardId: 'shard-a',
  records: [streamRecord(3), streamRecord(4)],
  invokeCount: 3,
};

describe('failureRecord', () => {
  it("describes the discarded batch as Lambda's on-failure record does", () => {
    const record = failureRecord({ ...base, error: { errorType: 'Error', errorMessage: 'boom' } });
    expect(record).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      version: '1.0',
      DDBStreamBatchInfo: {
        shardId: 'shard-a',
        startSequenceNumber: '000003',
        endSequenceNumber: '000004',
        approximateArrivalOfFirstRecord: '2023-11-14T22:13:23Z',
        batchSize: 2,
        streamArn: base.streamArn,
      },
    });
  });

  it('reports an invocation that failed outside the function as a 500', () => {
    expect(failureRecord({ ...base, error: new Error('timeout') }).responseContext).toEqual({
      statusCode: 500,
      executedVersion: '$LATEST',
    });
  });
});

describe('FailureDestination', () => {
  it('appends one line per discarded batch and reads them back', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'steward-failures-')), 'f.jsonl');
    const destination = new FailureDestination(file);
    expect(await destination.read()).toEqual([]);
    destination.write(failureRecord(base));
    destination.write(failureRecord({ ...base, shardId: 'shard-b' }));
    expect((await destination.read()).map((r) => r.DDBStreamBatchInfo.shardId)).toEqual([
      'shard-a',
      'shard-b',
    ]);
  });
});
