import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FunctionDefinition } from './assembly';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb';
import { LocalRuntimeError } from './process-utils';

const WORKER = fileURLToPath(new URL('./lambda-worker.mjs', import.meta.url));
/** Lambda's limit for a function's init phase. */
const INIT_TIMEOUT_MS = 10_000;
const LOCAL_ACCOUNT = '000000000000';

/** The error payload Lambda returns for a failed invocation (`X-Amz-Function-Error: Unhandled`). */
export type LambdaErrorPayload = { errorType: string; errorMessage: string; trace: string[] };

/** A function error (thrown, timed out, crashed), carrying Lambda's error payload. */
export class LambdaFunctionError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
  constructor(
    readonly functionName: string,
    payload: LambdaErrorPayload,
  ) {
    super(`${functionName} failed: ${payload.errorType}: ${payload.errorMessage}`);
    this.name = 'LambdaFunctionError';
    this.errorType = payload.errorType;
    this.errorMessage = payload.errorMessage;
    this.trace = payload.trace;
  }

  /** The JSON body Lambda answers with. */
  payload(): LambdaErrorPayload {
    return { errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace };
  }
}

/** Runs the backend's functions locally with Lambda semantics. */
export type LambdaRunner = {
  /** Invokes synchronously (RequestResponse); rejects with LambdaFunctionError on a function error. */
  invoke: (name: string, event: unknown) => Promise<unknown>;
  /** Whether a function of that name (or logical id) exists. */
  has: (name: string) => boolean;
  /** The ARN the function would have, for events and error messages. */
  arn: (name: string) => string;
  /**
   * Kills (SIGKILL) the execution environments of a function that are running an invocation, as
   * a crash would; those invocations fail with Runtime.ExitError. Returns how many were killed.
   * A fault switch for the resilience tests.
   */
  crash: (name: string) => number;
  /** Makes the next invocations of a function fail (see FunctionFault). */
  fail: (name: string, fault: FunctionFault) => void;
  stop: () => Promise<void>;
};

export type LambdaRunnerOptions = {
  functions: FunctionDefinition[];
  /** Extra environment for every function: region, fake credentials, local endpoints. */
  environment: Record<string, string>;
  /** Environment of one function on top (its own credentials). */
  environmentFor?: (definition: FunctionDefinition) => Record<string, string>;
  log?: (line: string) => void;
  /** Execution environments per function, i.e. its concurrent invocations (default 4). */
  maxConcurrency?: number;
};

type Pending = {
  id: string;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
  /** A 'timeout' fault: the result is withheld, so the invocation runs into its timeout. */
  withhold?: boolean;
};

/**
 * A fault switch of the runner, for the resilience tests: the next `times` invocations of the
 * function fail as if it threw before doing anything (`throw`), or run to the end and then hang
 * until the function's timeout (`timeout`).
 */
export type FunctionFault = { mode: 'throw' | 'timeout'; times: number };

type Worker = {
  child: ChildProcess;
  ready: Promise<void>;
  current?: Pending;
  dead: boolean;
};

type Pool = {
  definition: FunctionDefinition;
  env: Record<string, string>;
  idle: Worker[];
  all: Set<Worker>;
  waiting: ((worker: Worker | Error) => void)[];
};

/** The node_modules folder holding the AWS SDK, standing in for the one the Lambda runtime ships. */
function sdkLocation(): { nodeModules: string; parentUrl: string } | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@aws-sdk/client-dynamodb/package.json');
    const nodeModules = path.resolve(path.dirname(pkg), '..', '..');
    return {
      nodeModules,
      parentUrl: pathToFileURL(path.join(nodeModules, '..', 'package.json')).href,
    };
  } catch {
    return undefined;
  }
}

/** Starts nothing yet: each function gets its execution environments on first invocation. */
export function createLambdaRunner(options: LambdaRunnerOptions): LambdaRunner {
  const maxConcurrency = options.maxConcurrency ?? 4;
  const sdk = sdkLocation();
  const pools = new Map<string, Pool>();
  const faults = new Map<Pool, FunctionFault>();
  let stopped = false;

  for (const definition of options.functions) {
    const region = options.environment.AWS_REGION ?? LOCAL_REGION;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: 'UTC',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      ...(sdk ? { NODE_PATH: sdk.nodeModules } : {}),
      ...options.environment,
      ...options.environmentFor?.(definition),
      ...definition.environment,
      // Reserved variables: Lambda sets these and a function cannot override them.
      _HANDLER: definition.handler,
      LAMBDA_TASK_ROOT: definition.codeDirectory,
      // The runtime the function declares; the code itself runs on this machine's Node.js.
      AWS_EXECUTION_ENV: `AWS_Lambda_${definition.runtime || 'nodejs20.x'}`,
      AWS_LAMBDA_FUNCTION_NAME: definition.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memoryMB),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${definition.name}`,
    };
    const pool: Pool = { definition, env, idle: [], all: new Set(), waiting: [] };
    pools.set(definition.name, pool);
    if (!pools.has(definition.logicalId)) pools.set(definition.logicalId, pool);
  }

  const log = options.log ?? (() => {});

  function arn(name: string): string {
    const region = options.environment.AWS_REGION ?? LOCAL_REGION;
    return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${name}`;
  }

  function spawnWorker(pool: Pool): Worker {
    const { definition } = pool;
    const child = fork(
      WORKER,
      [
        JSON.stringify({
          codeDirectory: definition.codeDirectory,
          handler: definition.handler,
          sdkParentUrl: sdk?.parentUrl,
        }),
      ],
      // execArgv is inherited by default; a function must not run under the host's loaders and flags.
      {
        cwd: definition.codeDirectory,
        env: pool.env,
        execArgv: ['--enable-source-maps'],
        silent: true,
      },
    );
    const prefix = `[${definition.name}] `;
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(prefix + line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);

    const worker: Worker = { child, dead: false, ready: Promise.resolve() };
    worker.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new LambdaFunctionError(definition.name, {
            errorType: 'Runtime.InitTimeout',
            errorMessage: `Init phase did not complete within ${INIT_TIMEOUT_MS / 1000} seconds`,
            trace: [],
          }),
        );
        kill(worker);
      }, INIT_TIMEOUT_MS);
      child.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'init-error') {
          clearTimeout(timer);
          reject(new LambdaFunctionError(definition.name, message.error));
        } else if (message.type === 'result') {
          const pending = worker.current;
          if (!pending || pending.id !== message.id || pending.withhold) return;
          clearTimeout(pending.timer);
          worker.current = undefined;
          if (message.ok) {
            pending.resolve(JSON.parse(message.payload));
          } else {
            pending.reject(new LambdaFunctionError(definition.name, message.error));
          }
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        worker.dead = true;
        pool.all.delete(worker);
        const index = pool.idle.indexOf(worker);
        if (index >= 0) pool.idle.splice(index, 1);
        reject(
          new LambdaFunctionError(definition.name, {
            errorType: 'Runtime.ExitError',
            errorMessage: `Runtime exited during init with ${signal ?? `exit status ${code}`}`,
            trace: [],
          }),
        );
        const pending = worker.current;
        if (pending) {
          clearTimeout(pending.timer);
          worker.current = undefined;
          pending.reject(
            new LambdaFunctionError(definition.name, {
              errorType: 'Runtime.ExitError',
              errorMessage: `RequestId: ${pending.id} Error: Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}`,
              trace: [],
            }),
          );
        }
      });
    });
    // An init failure is reported to the invocation that waits for it; nothing else listens.
    worker.ready.catch(() => {});
    pool.all.add(worker);
    return worker;
  }

  function kill(worker: Worker): void {
    worker.dead = true;
    if (worker.child.exitCode === null && worker.child.signalCode === null)
      worker.child.kill('SIGKILL');
  }

  async function acquire(pool: Pool): Promise<Worker> {
    const idle = pool.idle.pop();
    if (idle) return idle;
    if (pool.all.size < maxConcurrency) return spawnWorker(pool);
    return new Promise<Worker>((resolve, reject) => {
      pool.waiting.push((worker) => (worker instanceof Error ? reject(worker) : resolve(worker)));
    });
  }

  function release(pool: Pool, worker: Worker): void {
    if (stopped) {
      kill(worker);
      return;
    }
    const next = pool.waiting.shift();
    if (worker.dead) {
      // The environment died (timeout, crash): a waiting invocation gets a fresh one.
      if (next) next(spawnWorker(pool));
      return;
    }
    if (next) next(worker);
    else pool.idle.push(worker);
  }

  async function invoke(name: string, event: unknown): Promise<unknown> {
    if (stopped) {
      throw new LocalRuntimeError(
        `Cannot invoke ${name}: the Lambda runner is stopped.`,
        'Start the local runtime again.',
      );
    }
    const pool = pools.get(name);
    if (!pool) {
      throw new LocalRuntimeError(
        `Function not found: ${name}.`,
        `Known functions: ${[...new Set([...pools.values()].map((p) => p.definition.name))].join(', ') || 'none'}. Check the name in amplify/ and re-run the synth.`,
      );
    }
    const { definition } = pool;
    const fault = faults.get(pool);
    const faulted = fault?.mode;
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) faults.delete(pool);
    }
    if (faulted === 'throw') {
      throw new LambdaFunctionError(definition.name, {
        errorType: 'Error',
        errorMessage: 'Injected failure (local fault switch)',
        trace: [],
      });
    }
    const worker = await acquire(pool);
    try {
      await worker.ready;
      const awsRequestId = randomUUID();
      const timeoutMs = definition.timeoutSeconds * 1000;
      return await new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          worker.current = undefined;
          kill(worker);
          reject(
            new LambdaFunctionError(definition.name, {
              errorType: 'Sandbox.Timedout',
              errorMessage: `${new Date().toISOString()} ${awsRequestId} Task timed out after ${definition.timeoutSeconds.toFixed(2)} seconds`,
              trace: [],
            }),
          );
        }, timeoutMs);
        worker.current = {
          id: awsRequestId,
          resolve,
          reject,
          timer,
          ...(faulted === 'timeout' ? { withhold: true } : {}),
        };
        worker.child.send({
          type: 'invoke',
          id: awsRequestId,
          event,
          context: {
            awsRequestId,
            functionName: definition.name,
            functionVersion: '$LATEST',
            invokedFunctionArn: arn(definition.name),
            memoryLimitInMB: String(definition.memoryMB),
            logGroupName: `/aws/lambda/${definition.name}`,
            logStreamName: `local/[$LATEST]${worker.child.pid ?? ''}`,
            deadlineMs: Date.now() + timeoutMs,
          },
        });
      });
    } catch (err) {
      if (
        err instanceof LambdaFunctionError &&
        !worker.dead &&
        /^Runtime\.(ImportModuleError|HandlerNotFound)/.test(err.errorType)
      ) {
        kill(worker);
      }
      throw err;
    } finally {
      release(pool, worker);
    }
  }

  return {
    invoke,
    has: (name) => pools.has(name),
    arn,
    fail: (name, fault) => {
      const pool = pools.get(name);
      if (!pool) throw new LocalRuntimeError(`Function not found: ${name}.`, 'Check the name.');
      if (fault.times > 0) faults.set(pool, { ...fault });
      else faults.delete(pool);
    },
    crash: (name) => {
      const busy = [...(pools.get(name)?.all ?? [])].filter((w) => w.current && !w.dead);
      for (const worker of busy) kill(worker);
      return busy.length;
    },
    stop: async () => {
      stopped = true;
      const workers = [...new Set([...pools.values()].flatMap((pool) => [...pool.all]))];
      for (const pool of new Set(pools.values())) {
        for (const waiter of pool.waiting.splice(0)) {
          waiter(
            new LocalRuntimeError('The Lambda runner stopped.', 'Start the local runtime again.'),
          );
        }
      }
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.child.exitCode !== null || worker.child.signalCode !== null)
                return resolve();
              worker.child.once('exit', () => resolve());
              worker.child.kill('SIGTERM');
              setTimeout(() => kill(worker), 2000).unref();
            }),
        ),
      );
    },
  };
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaErrorPayload }
  | { type: 'result'; id: string; ok: true; payload: string }
  | { type: 'result'; id: string; ok: false; error: LambdaErrorPayload };
