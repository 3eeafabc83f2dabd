import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localDynamoDbClient, startDynamoDbLocal } from './dynamodb';
import { freePort } from './process-utils';
import { emptyWalDatabase, useWriteAheadLog } from './sqlite-wal';

const directories: string[] = [];
const scratch = () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'steward-wal-'));
  directories.push(directory);
  return directory;
};
const versions = (file: string) => [...readFileSync(file).subarray(18, 20)];
/** The header of a database SQLite wrote in rollback-journal mode (bytes 18–19 = 1). */
const rollbackDatabase = () => {
  const bytes = emptyWalDatabase();
  bytes[18] = 1;
  bytes[19] = 1;
  return bytes;
};

afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('useWriteAheadLog', () => {
  it('creates a missing database empty and in WAL mode', () => {
    const file = path.join(scratch(), 'db');
    expect(useWriteAheadLog(file)).toBe('created');
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(bytes.length).toBe(4096);
    expect(versions(file)).toEqual([2, 2]);
    expect(useWriteAheadLog(file)).toBe('already');
  });

  it('switches a rollback-journal database and changes nothing else', () => {
    const file = path.join(scratch(), 'db');
    writeFileSync(file, rollbackDatabase());
    expect(useWriteAheadLog(file)).toBe('switched');
    expect(readFileSync(file).equals(emptyWalDatabase())).toBe(true);
  });

  it('leaves a database with a journal beside it for SQLite to roll back first', () => {
    const file = path.join(scratch(), 'db');
    writeFileSync(file, rollbackDatabase());
    writeFileSync(`${file}-journal`, 'a crash left this');
    expect(useWriteAheadLog(file)).toBe('hot-journal');
    expect(versions(file)).toEqual([1, 1]);
  });

  it('does not touch a file that is not a SQLite database', () => {
    const file = path.join(scratch(), 'db');
    writeFileSync(file, 'x'.repeat(200));
    expect(useWriteAheadLog(file)).toBe('unknown');
    expect(readFileSync(file, 'utf8')).toBe('x'.repeat(200));
  });
});

describe('DynamoDB Local on a write-ahead log', () => {
  it('starts on the created database, logs its writes ahead, and keeps them across a kill -9', async () => {
    const dataDirectory = scratch();
    const database = path.join(dataDirectory, 'shared-local-instance.db');
    const first = await startDynamoDbLocal({ port: await freePort(), dataDirectory });
    const client = localDynamoDbClient(first.endpoint);
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'Wal',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      for (let i = 0; i < 20; i += 1) {
        await client.send(
          new PutItemCommand({ TableName: 'Wal', Item: { id: { S: `item-${i}` } } }),
        );
      }
      // The writes went to the log, not through a journal file.
      expect(existsSync(`${database}-wal`)).toBe(true);
      expect(existsSync(`${database}-journal`)).toBe(false);
      expect(versions(database)).toEqual([2, 2]);
      // A crash: no clean close, no checkpoint into the database file.
      first.process.child.kill('SIGKILL');
      await new Promise((resolve) => first.process.child.once('exit', resolve));
    } finally {
      client.destroy();
      await first.stop();
    }

    const second = await startDynamoDbLocal({ port: await freePort(), dataDirectory });
    const again = localDynamoDbClient(second.endpoint);
    try {
      for (const i of [0, 19]) {
        const { Item } = await again.send(
          new GetItemCommand({ TableName: 'Wal', Key: { id: { S: `item-${i}` } } }),
        );
        expect(Item?.id?.S).toBe(`item-${i}`);
      }
    } finally {
      again.destroy();
      await second.stop();
    }
  }, 120_000);
});
