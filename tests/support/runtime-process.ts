import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalPorts, LocalRuntime } from '../../local/main';
import { BACKEND_ONLY, startLocalRuntime } from '../../local/main';

/** What the runtime in a child process reports once it is ready. */
export type RuntimeInfo = {
  pid: number;
  urls: LocalRuntime['urls'];
  userPoolId: string;
  userPoolClientId: string;
  /** Table names by model (by logical id for a table of no model). */
  tables: Record<string, string>;
};

/** A local runtime in its own process, which a test can kill -9. */
export type RuntimeProcess = {
  child: ChildProcess;
  info: RuntimeInfo;
  /**
   * Ends the runtime process and its DynamoDB Local at once (SIGKILL), as a crash would; says
   * whether a DynamoDB Local was there to kill.
   */
  kill: () => Promise<{ dynamoDbKilled: boolean }>;
  /** Stops it cleanly (SIGTERM), killing it if it does not stop within 15 s. */
  stop: () => Promise<void>;
};

const SELF = fileURLToPath(import.meta.url);
const READY = 'RUNTIME-READY ';

/** The pid DynamoDB Local recorded in the data folder, if it still runs. */
function dynamoDbPid(dataDirectory: string): number | undefined {
  const file = path.join(dataDirectory, 'dynamodb', 'dynamodb-local.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/**
 * Starts `startLocalRuntime` on the data folder and ports in a child process (tsx); aborting the
 * signal before it is ready kills it (and its DynamoDB Local) and rejects.
 */
export async function startRuntimeProcess(
  dataDirectory: string,
  ports: LocalPorts,
  signal?: AbortSignal,
): Promise<RuntimeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SELF, dataDirectory, JSON.stringify(ports)],
    {
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const killDynamoDb = (): boolean => {
    const pid = dynamoDbPid(dataDirectory);
    if (!pid) return false;
    try {
      // DynamoDB Local runs in its own process group.
      process.kill(-pid, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  };
  const output: string[] = [];
  const info = await new Promise<RuntimeInfo>((resolve, reject) => {
    /** A start that is given up: nothing of it is left running. */
    const giveUp = (error: Error) => {
      settle();
      child.kill('SIGKILL');
      killDynamoDb();
      reject(error);
    };
    const aborted = () => giveUp(new Error('runtime start aborted'));
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
    };
    const timer = setTimeout(
      () => giveUp(new Error(`runtime not ready in 180 s:\n${output.join('')}`)),
      180_000,
    );
    if (signal?.aborted) aborted();
    else signal?.addEventListener('abort', aborted);
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const line = output
        .join('')
        .split('\n')
        .find((l) => l.startsWith(READY));
      if (line) {
        settle();
        resolve(JSON.parse(line.slice(READY.length)) as RuntimeInfo);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => {
      settle();
      reject(new Error(`runtime exited with ${code} before it was ready:\n${output.join('')}`));
    });
  });
  return {
    child,
    info,
    kill: async () => {
      child.kill('SIGKILL');
      const dynamoDbKilled = killDynamoDb();
      await exited(child);
      return { dynamoDbKilled };
    },
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        killDynamoDb();
      }, 15_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

/** The child: start, report, run until signalled. */
async function main(dataDirectory: string, ports: LocalPorts): Promise<void> {
  const runtime = await startLocalRuntime({
    dataDirectory,
    ports,
    ...BACKEND_ONLY,
  });
  const tables: Record<string, string> = {};
  for (const table of runtime.assembly.tables) {
    tables[table.modelName ?? table.logicalId] = table.tableName;
  }
  const info: RuntimeInfo = {
    pid: process.pid,
    urls: runtime.urls,
    userPoolId: runtime.userPoolId,
    userPoolClientId: runtime.userPoolClientId,
    tables,
  };
  process.stdout.write(`${READY}${JSON.stringify(info)}\n`);
  process.once('SIGTERM', () => {
    void runtime.stop().then(() => process.exit(0));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const [dataDirectory, ports] = process.argv.slice(2);
  await main(dataDirectory ?? '', JSON.parse(ports ?? '{}') as LocalPorts);
}
