import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where a shard has been read to: after a sequence number, or to its end. */
export type ShardPosition = { after?: string; done?: boolean };

type SavedState = { streamArn: string; shards: Record<string, ShardPosition> };

/**
 * A mapping's per-shard checkpoints in one JSON file, replaced atomically on every change, so a
 * restart resumes after the last record that was delivered (or discarded to the failure
 * destination). Checkpoints of another stream (the table was recreated) are dropped.
 */
export class ShardCheckpoints {
  private constructor(
    private readonly file: string,
    private readonly state: SavedState,
    /** True when nothing was saved for this stream: the starting position applies. */
    readonly firstStart: boolean,
  ) {}

  /** The checkpoint file of one function reading one table. */
  static fileFor(stateDirectory: string, functionName: string, tableName: string): string {
    return path.join(
      stateDirectory,
      `${functionName}--${tableName}.json`.replace(/[^a-zA-Z0-9._-]/g, '_'),
    );
  }

  /** The checkpoints saved in `file` for `streamArn`, or none. */
  static open(file: string, streamArn: string): ShardCheckpoints {
    const saved = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as SavedState)
      : undefined;
    // A recreated table has a new stream: its old checkpoints mean nothing.
    if (!saved || saved.streamArn !== streamArn)
      return new ShardCheckpoints(file, { streamArn, shards: {} }, true);
    return new ShardCheckpoints(file, saved, false);
  }

  /** The sequence number a shard is read after, if any. */
  after(shardId: string): string | undefined {
    return this.state.shards[shardId]?.after;
  }

  isDone(shardId: string): boolean {
    return this.state.shards[shardId]?.done === true;
  }

  /** Records a shard's position without saving (see save()). */
  set(shardId: string, position: ShardPosition): void {
    this.state.shards[shardId] = position;
  }

  /** Knows a shard, from its start when it is new; not saved until it moves. */
  track(shardId: string): void {
    this.state.shards[shardId] ??= {};
  }

  /** Moves a shard past a delivered record and saves. */
  advance(shardId: string, sequenceNumber: string): void {
    this.state.shards[shardId] = { ...this.state.shards[shardId], after: sequenceNumber };
    this.save();
  }

  /** Marks a shard read to its end and saves. */
  finish(shardId: string): void {
    this.state.shards[shardId] = { ...this.state.shards[shardId], done: true };
    this.save();
  }

  save(): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.state, null, 2));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
