import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ExpiredIteratorException,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { afterEach, describe, expect, it } from 'vitest';
import { ShardCheckpoints } from './checkpoints';
import { sequenceOf } from './lambda-records';
import { type PollSettings, ShardPoller } from './shard-poller';
import { Stopper } from './stopper';
import type { StreamPage, StreamReader } from './stream-reader';
import { numbersOf, streamRecord } from './test-records';

const ARN = 'arn:stream';

/** An in-memory stream: shards with records, closed or open; iterators are `shard:index`. */
class FakeStream implements StreamReader {
  readonly shards = new Map<
    string,
    { records: StreamRecord[]; closed: boolean; parent?: string }
  >();
  /** Read calls that throw ExpiredIteratorException before answering. */
  expireNextReads = 0;

  add(shardId: string, numbers: number[], options: { closed?: boolean; parent?: string } = {}) {
    const shard = this.shards.get(shardId) ?? {
      records: [],
      closed: false,
      parent: options.parent,
    };
    shard.records.push(...numbers.map(streamRecord));
    shard.closed = options.closed ?? shard.closed;
    this.shards.set(shardId, shard);
  }

  listShards(): Promise<Shard[]> {
    return Promise.resolve(
      [...this.shards].map(([id, s]) => ({
        ShardId: id,
        ParentShardId: s.parent,
        SequenceNumberRange: s.closed
          ? { EndingSequenceNumber: sequenceOf(s.records[s.records.length - 1]) }
          : {},
      })),
    );
  }

  iterator(shardId: string, after?: string): Promise<string | undefined> {
    const records = this.shards.get(shardId)?.records ?? [];
    const index = after ? records.findIndex((r) => sequenceOf(r) === after) + 1 : 0;
    return Promise.resolve(`${shardId}:${index}`);
  }

  read(iterator: string, limit: number): Promise<StreamPage> {
    if (this.expireNextReads > 0) {
      this.expireNextReads -= 1;
      return Promise.reject(new ExpiredIteratorException({ message: 'expired', $metadata: {} }));
    }
    const [shardId = '', at = '0'] = iterator.split(':');
    const shard = this.shards.get(shardId);
    const start = Number(at);
    const records = shard?.records.slice(start, start + limit) ?? [];
    const end = start + records.length;
    const finished = shard?.closed && end >= shard.records.length;
    return Promise.resolve({ records, next: finished ? undefined : `${shardId}:${end}` });
  }
}

const pollers: { poller: ShardPoller; stopper: Stopper }[] = [];
afterEach(async () => {
  for (const { poller, stopper } of pollers.splice(0)) {
    stopper.stop();
    await poller.stop();
  }
});

/** A poller over the fake stream whose delivery records what it got and checkpoints, as the invoker does. */
async function startPoller(stream: FakeStream, file: string, settings: Partial<PollSettings> = {}) {
  const checkpoints = ShardCheckpoints.open(file, ARN);
  const delivered: { shardId: string; numbers: number[] }[] = [];
  const stopper = new Stopper();
  const poller = new ShardPoller({
    mapping: {
      batchSize: 100,
      maximumBatchingWindowSeconds: 0,
      startingPosition: 'TRIM_HORIZON',
      ...settings,
    },
    reader: stream,
    checkpoints,
    deliver: (shardId, records) => {
      delivered.push({ shardId, numbers: numbersOf(records) });
      checkpoints.advance(shardId, sequenceOf(records[records.length - 1]));
      return Promise.resolve();
    },
    stopper,
    pollIntervalMs: 5,
    discoveryIntervalMs: 10,
    log: () => {},
    tag: 'T → notifier',
  });
  await poller.start();
  pollers.push({ poller, stopper });
  const all = () => delivered.flatMap((d) => d.numbers);
  const until = async (count: number) => {
    const deadline = Date.now() + 5000;
    while (all().length < count) {
      if (Date.now() > deadline) throw new Error(`delivered only ${JSON.stringify(all())}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  /** Stops the poller; the checkpoints stay in the file. */
  const stop = async () => {
    stopper.stop();
    await poller.stop();
  };
  return { delivered, all, until, stop, checkpoints, poller };
}

const stateFile = () =>
  path.join(mkdtempSync(path.join(os.tmpdir(), 'steward-poller-')), 'checkpoints.json');

describe('ShardPoller', () => {
  it('reads a child shard only after its parent is read to the end', async () => {
    const stream = new FakeStream();
    stream.add('child', [4, 5], { parent: 'parent' });
    stream.add('parent', [1, 2, 3], { closed: true });
    const { delivered, until, checkpoints } = await startPoller(stream, stateFile());
    await until(5);
    expect(delivered).toEqual([
      { shardId: 'parent', numbers: [1, 2, 3] },
      { shardId: 'child', numbers: [4, 5] },
    ]);
    expect(checkpoints.isDone('parent')).toBe(true);
    expect(checkpoints.after('child')).toBe('000005');
  });

  it('keeps polling a caught-up shard and finds shards that appear later', async () => {
    const stream = new FakeStream();
    stream.add('a', [1]);
    const { all, until, poller } = await startPoller(stream, stateFile());
    await until(1);
    stream.add('a', [2]);
    stream.add('b', [3]);
    await until(3);
    expect(all().sort()).toEqual([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(poller.idleSince(performance.now() - 20)).toBe(true);
  });

  it('starts at LATEST as the position after the last record, and keeps it across a restart', async () => {
    const stream = new FakeStream();
    stream.add('a', [1, 2, 3]);
    const file = stateFile();
    const first = await startPoller(stream, file, { startingPosition: 'LATEST' });
    expect(first.checkpoints.after('a')).toBe('000003');
    await first.stop();
    stream.add('a', [4]);
    const second = await startPoller(stream, file, { startingPosition: 'LATEST' });
    await second.until(1);
    expect(second.all()).toEqual([4]);
  });

  it('resumes from its checkpoint after a restart, without repeating or losing records', async () => {
    const stream = new FakeStream();
    stream.add('a', [1, 2]);
    const file = stateFile();
    const first = await startPoller(stream, file);
    await first.until(2);
    await first.stop();
    stream.add('a', [3, 4]);
    const second = await startPoller(stream, file);
    await second.until(2);
    expect(second.all()).toEqual([3, 4]);
  });

  it('gets a new iterator from the checkpoint when one expires', async () => {
    const stream = new FakeStream();
    stream.add('a', [1, 2]);
    const { all, until } = await startPoller(stream, stateFile());
    await until(2);
    stream.expireNextReads = 2;
    stream.add('a', [3]);
    await until(3);
    expect(all()).toEqual([1, 2, 3]);
  });

  it('reads at most batchSize records a batch', async () => {
    const stream = new FakeStream();
    stream.add('a', [1, 2, 3, 4, 5]);
    const { delivered, until } = await startPoller(stream, stateFile(), { batchSize: 2 });
    await until(5);
    expect(delivered.map((d) => d.numbers)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('gathers the records that arrive within the batching window into one batch', async () => {
    const stream = new FakeStream();
    const { delivered, until } = await startPoller(stream, stateFile(), {
      maximumBatchingWindowSeconds: 0.3,
    });
    stream.add('a', [1]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    stream.add('a', [2, 3]);
    await until(3);
    expect(delivered.map((d) => d.numbers)).toEqual([[1, 2, 3]]);
  });
});
