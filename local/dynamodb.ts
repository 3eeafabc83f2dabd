import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from './assembly';
import { useWriteAheadLog } from './sqlite-wal';
import { LocalRuntimeError, type ManagedProcess, spawnManaged, waitForPort } from './process-utils';

/** Fixed credentials for every local AWS client: the emulators accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

const require = createRequire(import.meta.url);

/** The DynamoDB Local jar shipped inside the amplify-dynamodb-simulator npm package. */
export function dynamoDbLocalDirectory(): string {
  const pkg = require.resolve('amplify-dynamodb-simulator/package.json');
  return path.join(path.dirname(pkg), 'emulator');
}

/** Throws a clear error when no Java 17+ is on the PATH. */
export function assertJava(): string {
  // `java -version` prints to stderr.
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new LocalRuntimeError(
      'Java was not found: DynamoDB Local needs Java 17 or newer.',
      'Install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and try again.',
      { cause: result.error },
    );
  }
  const text = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < 17) {
    throw new LocalRuntimeError(
      `Java ${major || 'of unknown version'} was found; DynamoDB Local needs Java 17 or newer.`,
      'Install Java 17+ and put it first on your PATH.',
    );
  }
  return text.split('\n')[0] ?? '';
}

export type DynamoDbLocal = {
  endpoint: string;
  process: ManagedProcess;
  stop: () => Promise<void>;
};

/** Starts DynamoDB Local on the port, keeping its data in dataDirectory (or in memory). */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDirectory?: string;
  /**
   * How SQLite commits: a write-ahead log (the default; see sqlite-wal.ts), or left as the
   * database is — a new one then gets SQLite's rollback journal; one already on WAL stays on it.
   */
  journal?: 'wal' | 'rollback';
}): Promise<DynamoDbLocal> {
  assertJava();
  if (options.dataDirectory) stopLeftover(options.dataDirectory);
  const emulator = dynamoDbLocalDirectory();
  const storage = options.dataDirectory
    ? (mkdirSync(options.dataDirectory, { recursive: true }), ['-dbPath', options.dataDirectory])
    : ['-inMemory'];
  // Before the JVM opens the database: a write-ahead log instead of a journal file per commit.
  if (options.dataDirectory && options.journal !== 'rollback')
    useWriteAheadLog(path.join(options.dataDirectory, SHARED_DB_FILE));
  // DynamoDB Local writes a metadata file into its working directory: keep it out of the project.
  const workingDirectory =
    options.dataDirectory ?? mkdtempSync(path.join(os.tmpdir(), 'steward-dynamodb-'));
  const proc = spawnManaged(
    'java',
    [
      '-Xms64m',
      '-XX:+UseSerialGC',
      // The client compiler only: the server compiler's optimising took a quarter of a core for
      // the whole of a benchmark's run (DynamoDB Local's CPU per submission 8.5 → 5.7 ms, and the
      // local runtime's submissions 74 → 90/s; docs/BENCHMARKS.md), more than it ever gave back
      // in a local session.
      '-XX:TieredStopAtLevel=1',
      '-Xmx1g',
      `-Djava.library.path=${path.join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      path.join(emulator, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      '-sharedDb',
      ...storage,
    ],
    { cwd: workingDirectory },
  );
  try {
    await waitForPort(options.port, 30_000);
  } catch (err) {
    await proc.stop();
    throw new LocalRuntimeError(
      `DynamoDB Local did not start on port ${options.port}.`,
      `Its output was:\n${proc.output()}`,
      { cause: err },
    );
  }
  const endpoint = `http://127.0.0.1:${options.port}`;
  const pidFile = options.dataDirectory ? path.join(options.dataDirectory, PID_FILE) : undefined;
  if (pidFile && proc.child.pid) writeFileSync(pidFile, String(proc.child.pid));
  return {
    endpoint,
    process: proc,
    stop: async () => {
      await proc.stop();
      if (pidFile) rmSync(pidFile, { force: true });
    },
  };
}

const PID_FILE = 'dynamodb-local.pid';
/** The database DynamoDB Local keeps every table in, with -sharedDb. */
const SHARED_DB_FILE = 'shared-local-instance.db';

/**
 * A runtime killed with -9 leaves its DynamoDB Local running (the JVM cannot watch its parent);
 * the next start ends that one, identified by the pid file and its own data folder.
 */
function stopLeftover(dataDirectory: string): void {
  const pidFile = path.join(dataDirectory, PID_FILE);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (command.includes('DynamoDBLocal.jar') && command.includes(dataDirectory))
      process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already, or not ours to stop
  }
  rmSync(pidFile, { force: true });
}

/** A DynamoDB client for a local endpoint. */
export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** Creates every table that does not exist yet; existing tables (and their data) are kept. */
export async function ensureTables(
  client: DynamoDBClient,
  tables: TableDefinition[],
): Promise<string[]> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    page.TableNames?.forEach((name) => existing.add(name));
    start = page.LastEvaluatedTableName;
  } while (start);
  const created: string[] = [];
  for (const table of tables) {
    if (existing.has(table.tableName)) continue;
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table.tableName,
          KeySchema: table.keySchema,
          AttributeDefinitions: table.attributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.length
            ? table.globalSecondaryIndexes
            : undefined,
          StreamSpecification: table.streamViewType
            ? { StreamEnabled: true, StreamViewType: table.streamViewType }
            : undefined,
        }),
      );
      created.push(table.tableName);
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
  }
  for (const name of created) {
    await client.send(new DescribeTableCommand({ TableName: name }));
  }
  return created;
}
