import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMappingDefinition } from '../assembly';
import { errorText, sequenceOf, toLambdaRecord } from './lambda-records';
import type { Stopper } from './stopper';

/** How one invocation of a batch went. */
export type BatchOutcome =
  | { kind: 'success' }
  /** A partial batch response: the records from `index` on failed. */
  | { kind: 'partial'; index: number }
  | { kind: 'error'; error: unknown };

/** What a batch invoker needs from the mapping. */
export type BatchSettings = Pick<
  EventSourceMappingDefinition,
  'functionName' | 'maximumRetryAttempts' | 'bisectBatchOnFunctionError' | 'reportBatchItemFailures'
>;

export type BatchInvokerOptions = {
  mapping: BatchSettings;
  streamArn: string;
  region: string;
  /** Synchronous invoke; a rejection is a function error. */
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
  /** Records that a shard's records up to this one are done with. */
  checkpoint: (shardId: string, sequenceNumber: string) => void;
  /** Sends records whose retries are exhausted to the on-failure destination. */
  discard: (shardId: string, records: StreamRecord[], invokeCount: number, error?: unknown) => void;
  stopper: Stopper;
  /** First retry delay; it doubles per attempt up to 8 × this. */
  retryDelayMs: number;
  log: (line: string) => void;
  /** `table → function`, for log lines. */
  tag: string;
};

/**
 * Invokes a function with a shard's batches as Lambda's event source mapping does: partial batch
 * responses, retries with backoff up to maximumRetryAttempts (-1: until they succeed),
 * bisection on a function error, and the on-failure destination for what is left.
 */
export class BatchInvoker {
  constructor(private readonly options: BatchInvokerOptions) {}

  /** Invokes the function once with `batch` and reads its answer. */
  async invoke(batch: StreamRecord[]): Promise<BatchOutcome> {
    const { mapping, streamArn, region } = this.options;
    let result: unknown;
    try {
      result = await this.options.invoke(mapping.functionName, {
        Records: batch.map((r) => toLambdaRecord(r, streamArn, region)),
      });
    } catch (error) {
      return { kind: 'error', error };
    }
    return mapping.reportBatchItemFailures ? readBatchResponse(result, batch) : { kind: 'success' };
  }

  /** Delivers one batch until every record succeeded or went to the failure destination. */
  async deliver(shardId: string, records: StreamRecord[]): Promise<void> {
    const { mapping, stopper, log, tag } = this.options;
    const checkpoint = (record: StreamRecord | undefined) =>
      this.options.checkpoint(shardId, sequenceOf(record));
    const queue: { batch: StreamRecord[]; attempts: number }[] = [{ batch: records, attempts: 0 }];
    for (let next = queue.shift(); next && !stopper.stopped; next = queue.shift()) {
      const { batch, attempts } = next;
      const outcome = await this.invoke(batch);
      if (outcome.kind === 'success') {
        checkpoint(batch[batch.length - 1]);
        continue;
      }
      let failed = batch;
      if (outcome.kind === 'partial') {
        // Records before the first reported failure are done: checkpoint and retry from it.
        if (outcome.index > 0) checkpoint(batch[outcome.index - 1]);
        failed = batch.slice(outcome.index);
      } else {
        log(
          `stream ${tag}: batch of ${batch.length} failed (attempt ${attempts + 1}): ${errorText(outcome.error)}`,
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
      if (mapping.maximumRetryAttempts >= 0 && attempts >= mapping.maximumRetryAttempts) {
        this.options.discard(
          shardId,
          failed,
          attempts + 1,
          outcome.kind === 'error' ? outcome.error : undefined,
        );
        checkpoint(failed[failed.length - 1]);
        continue;
      }
      const delay = this.options.retryDelayMs;
      await stopper.sleep(Math.min(delay * 2 ** attempts, delay * 8));
      queue.unshift({ batch: failed, attempts: attempts + 1 });
    }
  }
}

/** A function's answer to a batch, when it reports batch item failures. */
export function readBatchResponse(result: unknown, batch: StreamRecord[]): BatchOutcome {
  if (result === null || typeof result !== 'object') return { kind: 'success' };
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null || (Array.isArray(failures) && !failures.length))
    return { kind: 'success' };
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
