import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { BatchInvoker, type BatchSettings, readBatchResponse } from './batch-invoker';
import type { DynamoDbStreamLambdaRecord } from './lambda-records';
import { Stopper } from './stopper';
import { numbersOf, streamRecord } from './test-records';

type Event = { Records: DynamoDbStreamLambdaRecord[] };
const numbersIn = (event: unknown) =>
  (event as Event).Records.map((r) => Number(r.dynamodb.SequenceNumber));
const records = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => streamRecord(from + i));

/** A BatchInvoker over a fake function, recording what it was called with and what it did. */
function harness(
  settings: Partial<BatchSettings>,
  fn: (numbers: number[], call: number) => unknown,
) {
  const calls: { numbers: number[]; ok: boolean }[] = [];
  const checkpoints: string[] = [];
  const discarded: { numbers: number[]; invokeCount: number; error?: unknown }[] = [];
  const invoker = new BatchInvoker({
    mapping: {
      functionName: 'notifier',
      maximumRetryAttempts: 2,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
      ...settings,
    },
    streamArn: 'arn:stream',
    region: 'us-east-1',
    invoke: async (_name, event) => {
      const numbers = numbersIn(event);
      try {
        const result = await fn(numbers, calls.length);
        calls.push({ numbers, ok: true });
        return result;
      } catch (err) {
        calls.push({ numbers, ok: false });
        throw err;
      }
    },
    checkpoint: (_shard, sequenceNumber) => checkpoints.push(sequenceNumber),
    discard: (_shard, batch: StreamRecord[], invokeCount, error) =>
      discarded.push({ numbers: numbersOf(batch), invokeCount, error }),
    stopper: new Stopper(),
    retryDelayMs: 1,
    log: () => {},
    tag: 'T → notifier',
  });
  return { invoker, calls, checkpoints, discarded };
}

const poison = (bad: number) => (numbers: number[]) => {
  if (numbers.includes(bad))
    throw Object.assign(new Error(`poison ${bad}`), { errorType: 'Error' });
  return null;
};

describe('BatchInvoker.deliver', () => {
  it('bisects a failing batch down to the poison record and delivers every other record', async () => {
    const { invoker, calls, checkpoints, discarded } = harness(
      { bisectBatchOnFunctionError: true, maximumRetryAttempts: 2 },
      poison(5),
    );
    await invoker.deliver('shard-a', records(1, 8));

    expect(calls.map((c) => c.numbers)).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [5, 6],
      [5], // bisection cannot halve one record: its own retries start
      [5],
      [5],
      [6],
      [7, 8],
    ]);
    expect(discarded).toEqual([
      { numbers: [5], invokeCount: 3, error: expect.objectContaining({ message: 'poison 5' }) },
    ]);
    const delivered = calls.filter((c) => c.ok).flatMap((c) => c.numbers);
    expect(delivered).toEqual([1, 2, 3, 4, 6, 7, 8]);
    // Checkpoints only move forward, and end past the last record.
    expect(checkpoints).toEqual([...checkpoints].sort());
    expect(checkpoints.at(-1)).toBe('000008');
  });

  it.each([0, 1, 3])(
    'stops retrying after maximumRetryAttempts = %i and sends the batch to the failure destination',
    async (maximumRetryAttempts) => {
      const { invoker, calls, checkpoints, discarded } = harness(
        { maximumRetryAttempts },
        poison(2),
      );
      await invoker.deliver('shard-a', records(1, 3));
      expect(calls).toHaveLength(maximumRetryAttempts + 1);
      expect(discarded).toEqual([
        { numbers: [1, 2, 3], invokeCount: maximumRetryAttempts + 1, error: expect.any(Error) },
      ]);
      // Discarded records are done with: the shard moves past them.
      expect(checkpoints).toEqual(['000003']);
    },
  );

  it('retries from the first record a partial batch response names, after checkpointing those before it', async () => {
    const { invoker, calls, checkpoints, discarded } = harness(
      { reportBatchItemFailures: true },
      (numbers, call) =>
        call === 0
          ? { batchItemFailures: [{ itemIdentifier: '000004' }, { itemIdentifier: '000003' }] }
          : {},
    );
    await invoker.deliver('shard-a', records(1, 5));
    expect(calls.map((c) => c.numbers)).toEqual([
      [1, 2, 3, 4, 5],
      [3, 4, 5],
    ]);
    expect(checkpoints).toEqual(['000002', '000005']);
    expect(discarded).toEqual([]);
  });

  it('discards only the records a partial batch response keeps naming', async () => {
    const { invoker, discarded, checkpoints } = harness(
      { reportBatchItemFailures: true, maximumRetryAttempts: 1 },
      () => ({ batchItemFailures: [{ itemIdentifier: '000002' }] }),
    );
    await invoker.deliver('shard-a', records(1, 2));
    expect(discarded).toEqual([{ numbers: [2], invokeCount: 2, error: undefined }]);
    expect(checkpoints).toEqual(['000001', '000002']);
  });

  it('stops between attempts once stopped, leaving the rest to the checkpoint', async () => {
    const stopperOf = (invoker: BatchInvoker) =>
      (invoker as unknown as { options: { stopper: Stopper } }).options.stopper;
    const { invoker, calls, checkpoints } = harness({ maximumRetryAttempts: -1 }, (_n, call) => {
      if (call === 2) stopperOf(invoker).stop();
      throw new Error('down');
    });
    await invoker.deliver('shard-a', records(1, 2));
    expect(calls).toHaveLength(3);
    expect(checkpoints).toEqual([]);
  });
});

describe('readBatchResponse', () => {
  const batch = records(1, 3);
  it.each([
    ['null', null, { kind: 'success' }],
    ['no batchItemFailures', {}, { kind: 'success' }],
    ['an empty list', { batchItemFailures: [] }, { kind: 'success' }],
    [
      'the second record',
      { batchItemFailures: [{ itemIdentifier: '000002' }] },
      { kind: 'partial', index: 1 },
    ],
  ])('%s', (_name, result, outcome) => {
    expect(readBatchResponse(result, batch)).toEqual(outcome);
  });

  it.each([
    ['an identifier not in the batch', { batchItemFailures: [{ itemIdentifier: '000009' }] }],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a list that is not a list', { batchItemFailures: 'all' }],
  ])('fails the whole batch for %s', (_name, result) => {
    expect(readBatchResponse(result, batch)).toMatchObject({ kind: 'error' });
  });
});
