import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShardCheckpoints } from './checkpoints';

const ARN = 'arn:aws:dynamodb:local:000000000000:table/T/stream/1';

function fileIn(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'steward-checkpoints-'));
  return ShardCheckpoints.fileFor(directory, 'notifier', 'Notification-local');
}

describe('ShardCheckpoints', () => {
  it('survives a restart: positions and finished shards are read back', () => {
    const file = fileIn();
    const before = ShardCheckpoints.open(file, ARN);
    expect(before.firstStart).toBe(true);
    before.track('shard-a');
    before.track('shard-b');
    before.advance('shard-a', '000010');
    before.advance('shard-b', '000004');
    before.finish('shard-b');

    const after = ShardCheckpoints.open(file, ARN);
    expect(after.firstStart).toBe(false);
    expect(after.after('shard-a')).toBe('000010');
    expect(after.isDone('shard-a')).toBe(false);
    expect(after.isDone('shard-b')).toBe(true);
    expect(after.after('shard-b')).toBe('000004');
  });

  it('drops the checkpoints of another stream (the table was recreated)', () => {
    const file = fileIn();
    const old = ShardCheckpoints.open(file, ARN);
    old.advance('shard-a', '000010');
    const recreated = ShardCheckpoints.open(file, `${ARN}-new`);
    expect(recreated.firstStart).toBe(true);
    expect(recreated.after('shard-a')).toBeUndefined();
  });

  it('saves only when a shard moves, and leaves no temporary file', () => {
    const file = fileIn();
    const checkpoints = ShardCheckpoints.open(file, ARN);
    checkpoints.track('shard-a');
    expect(existsSync(file)).toBe(false);
    checkpoints.advance('shard-a', '000001');
    expect(readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it('names the file after the function and the table, safely', () => {
    expect(path.basename(ShardCheckpoints.fileFor('/x', 'fn/1', 'T:a'))).toBe('fn_1--T_a.json');
  });
});
