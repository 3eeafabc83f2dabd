import {
  ExpiredIteratorException,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { EventSourceMappingDefinition } from '../assembly';
import type { ShardCheckpoints } from './checkpoints';
import { errorText, sequenceOf } from './lambda-records';
import type { Stopper } from './stopper';
import type { StreamReader } from './stream-reader';

/** What the poller needs from the mapping. */
export type PollSettings = Pick<
  EventSourceMappingDefinition,
  'batchSize' | 'maximumBatchingWindowSeconds' | 'startingPosition'
>;

export type ShardPollerOptions = {
  mapping: PollSettings;
  reader: StreamReader;
  checkpoints: ShardCheckpoints;
  /** Delivers a batch read from a shard (and checkpoints as it goes). */
  deliver: (shardId: string, records: StreamRecord[]) => Promise<void>;
  stopper: Stopper;
  /** How often a caught-up shard is polled (Lambda: about 4 times a second). */
  pollIntervalMs: number;
  /** How often the stream is listed for new shards. */
  discoveryIntervalMs?: number;
  log: (line: string) => void;
  /** `table → function`, for log lines. */
  tag: string;
};

/**
 * Reads every shard of one stream as Lambda does: each shard in order from its checkpoint, a
 * child shard only once its parent is read to the end, batches up to batchSize gathered over the
 * batching window, new shards found by listing the stream every second.
 */
export class ShardPoller {
  private readonly running = new Map<string, Promise<void>>();
  /** performance.now() of the start of the last poll that found a shard empty. */
  private readonly lastEmptyPoll = new Map<string, number>();
  private inFlight = 0;
  private lastDiscovery = 0;
  private discovering: Promise<void> = Promise.resolve();
  private discoveryLoop: Promise<void> = Promise.resolve();

  constructor(private readonly options: ShardPollerOptions) {}

  /** Sets the starting positions on a first start, reads the shards there are, and keeps listing. */
  async start(): Promise<void> {
    if (this.options.checkpoints.firstStart) await this.setStartingPositions();
    this.discovering = this.discover();
    await this.discovering;
    this.discoveryLoop = this.keepDiscovering();
  }

  /** True when every shard was polled empty after `since` and nothing is being delivered. */
  idleSince(since: number): boolean {
    if (this.inFlight > 0 || this.lastDiscovery < since) return false;
    for (const id of this.running.keys()) {
      if ((this.lastEmptyPoll.get(id) ?? -1) < since) return false;
    }
    return true;
  }

  /** Lists the stream now (after any listing under way). */
  async refresh(): Promise<void> {
    await this.discovering;
    this.discovering = this.discover();
    await this.discovering;
  }

  /** Resolves once the loops have ended (call the stopper's stop() first). */
  async stop(): Promise<void> {
    await this.discoveryLoop;
    await Promise.allSettled([...this.running.values()]);
  }

  /** TRIM_HORIZON from each shard's start; LATEST made concrete as the position after its last record. */
  private async setStartingPositions(): Promise<void> {
    const { reader, checkpoints, mapping } = this.options;
    for (const shard of await reader.listShards()) {
      const id = shard.ShardId ?? '';
      if (mapping.startingPosition === 'TRIM_HORIZON') {
        checkpoints.set(id, {});
      } else if (shard.SequenceNumberRange?.EndingSequenceNumber) {
        checkpoints.set(id, { done: true });
      } else {
        // Concrete, so that a restart before anything arrives still resumes from here rather
        // than from "latest".
        let iterator = await reader.iterator(id);
        let last: string | undefined;
        while (iterator) {
          const page = await reader.read(iterator, 1000);
          if (!page.records.length) break;
          last = sequenceOf(page.records[page.records.length - 1]);
          iterator = page.next;
        }
        checkpoints.set(id, last ? { after: last } : {});
      }
    }
    checkpoints.save();
  }

  private async keepDiscovering(): Promise<void> {
    const { stopper, log, tag } = this.options;
    while (!stopper.stopped) {
      await stopper.sleep(this.options.discoveryIntervalMs ?? 1000);
      if (stopper.stopped) break;
      this.discovering = this.discover().catch((err: unknown) =>
        log(`stream ${tag}: listing shards failed (${errorText(err)})`),
      );
      await this.discovering;
    }
  }

  private async discover(): Promise<void> {
    const { reader, checkpoints } = this.options;
    const started = performance.now();
    const shards = await reader.listShards();
    const listed = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) checkpoints.track(shard.ShardId ?? '');
    for (const shard of shards) {
      const id = shard.ShardId ?? '';
      if (this.running.has(id) || checkpoints.isDone(id)) continue;
      // A child shard waits until its parent is read to the end, so a key's records stay in order.
      const parent = shard.ParentShardId;
      if (parent && listed.has(parent) && !checkpoints.isDone(parent)) continue;
      this.running.set(id, this.runShard(id));
    }
    this.lastDiscovery = started;
  }

  /** Reads up to batchSize records, waiting out the batching window for more. */
  private async readBatch(iterator: string): Promise<{ records: StreamRecord[]; next?: string }> {
    const { reader, mapping, stopper, pollIntervalMs } = this.options;
    const page = await reader.read(iterator, mapping.batchSize);
    const records = [...page.records];
    let next = page.next;
    const windowEnds = Date.now() + mapping.maximumBatchingWindowSeconds * 1000;
    while (
      records.length &&
      next &&
      records.length < mapping.batchSize &&
      Date.now() < windowEnds &&
      !stopper.stopped
    ) {
      await stopper.sleep(Math.min(pollIntervalMs, windowEnds - Date.now()));
      const more = await reader.read(next, mapping.batchSize - records.length);
      records.push(...more.records);
      next = more.next;
    }
    return { records, next };
  }

  private async runShard(shardId: string): Promise<void> {
    const { reader, checkpoints, stopper, log, tag } = this.options;
    let iterator: string | undefined;
    while (!stopper.stopped) {
      const pollStarted = performance.now();
      let batch: { records: StreamRecord[]; next?: string };
      try {
        iterator ??= await reader.iterator(shardId, checkpoints.after(shardId));
        if (!iterator) break;
        batch = await this.readBatch(iterator);
      } catch (err) {
        if (stopper.stopped) break;
        if (!(
          err instanceof ExpiredIteratorException || err instanceof TrimmedDataAccessException
        )) {
          log(`stream ${tag}: reading ${shardId} failed (${errorText(err)}); retrying`);
          await stopper.sleep(1000);
        }
        // From the checkpoint again.
        iterator = undefined;
        continue;
      }
      if (batch.records.length) {
        this.inFlight += 1;
        try {
          await this.options.deliver(shardId, batch.records);
        } finally {
          this.inFlight -= 1;
        }
        // Stopped mid-batch: the unprocessed rest is re-read from the checkpoint next start.
        if (stopper.stopped) break;
      }
      if (!batch.next) {
        checkpoints.finish(shardId);
        this.running.delete(shardId);
        // Children of this shard may start now.
        await this.discover().catch((err: unknown) => log(`stream ${tag}: ${errorText(err)}`));
        return;
      }
      iterator = batch.next;
      if (!batch.records.length) {
        this.lastEmptyPoll.set(shardId, pollStarted);
        await stopper.sleep(this.options.pollIntervalMs);
      }
    }
    this.running.delete(shardId);
  }
}
