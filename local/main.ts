import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CloudAssembly } from './assembly';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillMemberReadGroups } from '../amplify/functions/shared/stores/dynamo-membership-store';
import { startAppSync } from './appsync/index';
import { bindPlaceholders, readCloudAssembly } from './cloud-assembly';
import { startCognito } from './cognito';
import { DEMO_PASSWORD, type DemoSummary, seedDemoData, START_CLEAN_RESOLUTION } from './demo-data';
import {
  assertJava,
  ensureTables,
  LOCAL_REGION,
  localDynamoDbClient,
  startDynamoDbLocal,
} from './dynamodb';
import { type IamGates, startIamGates } from './iam';
import { createPrincipals, type Principals } from './iam/principals';
import { assertEventSourceMappingsDeployable } from './iam/event-source-permissions';
import { startEventSourceMappings } from './event-sources';
import { LocalCognito } from './graphql-client';
import { startLambdaApi } from './lambda-api';
import { createLambdaRunner, type FunctionFault } from './lambda-runner';
import { type MailFaults, startMail } from './mail';
import { amplifyOutputs, type AmplifyOutputs, writeOutputs } from './outputs';
import { assertPortFree, freePort, LocalRuntimeError } from './process-utils';
import { PROJECT_ROOT, STEWARD_DIRECTORY, SYNTH_CACHE } from './paths';
import { synthesize } from './synth';

/** Ports of the local services. */
export type LocalPorts = {
  dynamodb: number;
  cognito: number;
  graphql: number;
  mail: number;
  lambda: number;
  app: number;
};

/** Default ports: a base (STEWARD_PORT_BASE, default 20000) plus an offset; the app on 5173. */
export function defaultPorts(base = Number(process.env.STEWARD_PORT_BASE ?? 20000)): LocalPorts {
  const app = process.env.STEWARD_APP_PORT
    ? Number(process.env.STEWARD_APP_PORT)
    : base === 20000
      ? 5173
      : base + 10;
  return {
    dynamodb: base + 1,
    cognito: base + 2,
    graphql: base + 3,
    mail: base + 4,
    lambda: base + 5,
    app,
  };
}

/** Fresh ports for every service, from the block this process holds (see `freePort`). */
export async function autoPorts(): Promise<LocalPorts> {
  return {
    dynamodb: await freePort(),
    cognito: await freePort(),
    graphql: await freePort(),
    mail: await freePort(),
    lambda: await freePort(),
    app: await freePort(),
  };
}

export type LocalRuntimeOptions = {
  /** Where data lives between runs (default `.steward/data`). */
  dataDirectory?: string;
  /** Fixed ports, or 'auto' for free ones (tests). */
  ports?: LocalPorts | 'auto';
  /** Seed the demo organization on first start (default true). */
  demo?: boolean;
  /** Called before each call the demo seed makes (tests interrupt a first start there). */
  beforeDemoCall?: (call: string) => void;
  /** Serve the web app with Vite (default true). */
  app?: boolean;
  /** Write amplify_outputs.json into the project (default true; tests on auto ports say false). */
  writeOutputsFiles?: boolean;
  /** Access/ID token lifetime in seconds (default 3600, as on AWS). */
  tokenLifetimeSeconds?: number;
  /** Aborting it (Ctrl-C during start-up) stops whatever has started and rejects. */
  signal?: AbortSignal;
  /**
   * Given DynamoDB Local's endpoint, the one the backend's own clients (functions, resolvers,
   * stream consumers) should use instead: a recording proxy in tests.
   */
  dynamoDbEndpoint?: (endpoint: string) => Promise<string>;
  log?: (line: string) => void;
};

/** A running local Steward. */
export type LocalRuntime = {
  urls: {
    app?: string;
    graphql: string;
    realtime: string;
    mailbox: string;
    cognito: string;
    dynamodb: string;
  };
  ports: LocalPorts;
  outputs: AmplifyOutputs;
  assembly: CloudAssembly;
  userPoolId: string;
  userPoolClientId: string;
  dataDirectory: string;
  demo?: DemoSummary;
  /** Invokes a function of the backend directly, as AWS would. */
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
  /** The local name of a model's table, e.g. `WorkOrder` → `WorkOrder-local`. */
  tableName: (model: string) => string;
  /** Resolves when every stream consumer has caught up. */
  streamsIdle: () => Promise<void>;
  /** Records that exhausted their retries (the on-failure destination). */
  streamFailures: () => Promise<unknown[]>;
  /** Fault switches for the resilience tests: in this process only, never over HTTP. */
  faults: {
    /** The SES emulator fails or drops sends. */
    mail: MailFaults;
    /** Kills the running execution environments of a function (kill -9); returns how many. */
    crashFunction: (name: string) => number;
    /** Makes the next invocations of a function throw or time out. */
    failFunction: (name: string, fault: FunctionFault) => void;
  };
  /**
   * The functions as IAM principals and the endpoints they are given (in this process only): for
   * tests that call a service as a function would, and must be refused as it would.
   */
  iam: { principals: Principals; endpoints: Omit<IamGates, 'stop'> };
  stop: () => Promise<void>;
};

/**
 * The backend alone, for tests and benchmarks: no web app, no demo data, and nothing written
 * outside the data folder.
 */
export const BACKEND_ONLY = { app: false, demo: false, writeOutputsFiles: false } as const;

/**
 * Starts the whole backend of amplify/ on this machine: synth → DynamoDB Local → SES emulator →
 * cognito-local → Lambda runner → AppSync simulator → stream consumers → outputs → demo → app.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  const dataDirectory = path.resolve(options.dataDirectory ?? path.join(STEWARD_DIRECTORY, 'data'));
  const ports = options.ports === 'auto' ? await autoPorts() : (options.ports ?? defaultPorts());
  const wantApp = options.app ?? true;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      try {
        await stop();
      } catch {
        // keep stopping the rest
      }
    }
  };
  /**
   * Runs one step of the start. What it started is registered for stopping before anything else
   * can fail (an abort right after it, or its sibling in a parallel step): a start that fails
   * half way leaves no process behind.
   */
  const step = async <T>(
    label: string,
    work: () => Promise<T>,
    stopOf?: (started: T) => () => Promise<void>,
  ): Promise<T> => {
    const started = Date.now();
    options.signal?.throwIfAborted();
    const result = await work();
    if (stopOf) stops.push(stopOf(result));
    log(`  ✓ ${label} (${Date.now() - started} ms)`);
    options.signal?.throwIfAborted();
    return result;
  };

  try {
    const services: [keyof LocalPorts, string][] = [
      ['dynamodb', 'DynamoDB Local'],
      ['cognito', 'Cognito'],
      ['graphql', 'GraphQL API'],
      ['mail', 'mailbox'],
      ['lambda', 'Lambda API'],
      ...(wantApp ? ([['app', 'web app']] as [keyof LocalPorts, string][]) : []),
    ];
    // Preflight: fail in the first second on what the person must fix, not after the synth.
    for (const [key, name] of services) await assertPortFree(ports[key], name);
    assertJava();
    mkdirSync(dataDirectory, { recursive: true });

    const synth = await step('backend synthesized', () =>
      synthesize({ root: PROJECT_ROOT, cacheDirectory: SYNTH_CACHE }),
    );
    const unbound = readCloudAssembly(synth.directory);

    // Both settle before a failure of either is thrown, so the other is registered for stopping.
    const [dynamodbStart, mailStart] = await Promise.allSettled([
      step(
        'DynamoDB Local',
        () =>
          startDynamoDbLocal({
            port: ports.dynamodb,
            dataDirectory: path.join(dataDirectory, 'dynamodb'),
          }),
        (started) => started.stop,
      ),
      step(
        'mailbox (SES emulator)',
        () => startMail({ port: ports.mail, dataDirectory: path.join(dataDirectory, 'mail') }),
        (started) => started.stop,
      ),
    ]);
    if (dynamodbStart.status === 'rejected') throw dynamodbStart.reason;
    if (mailStart.status === 'rejected') throw mailStart.reason;
    const dynamodb = dynamodbStart.value;
    const mail = mailStart.value;
    const ddb = localDynamoDbClient(dynamodb.endpoint);
    stops.push(async () => ddb.destroy());
    const backendDynamoDb = options.dynamoDbEndpoint
      ? await options.dynamoDbEndpoint(dynamodb.endpoint)
      : dynamodb.endpoint;
    await step(`${unbound.tables.length} tables`, () => ensureTables(ddb, unbound.tables));

    const lambdaEndpoint = `http://127.0.0.1:${ports.lambda}`;
    const cognito = await step(
      'Cognito (cognito-local)',
      () =>
        startCognito({
          port: ports.cognito,
          dataDirectory: path.join(dataDirectory, 'cognito'),
          userPool: unbound.userPool,
          lambdaEndpoint,
          mailEndpoint: mail.endpoint,
          tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
        }),
      (started) => started.stop,
    );

    const graphqlUrl = `http://127.0.0.1:${ports.graphql}/graphql`;
    const assembly = bindPlaceholders(unbound, {
      userPoolId: cognito.userPoolId,
      userPoolClientId: cognito.clientId,
      graphqlUrl,
    });
    // Each function is its own IAM principal: credentials made for this run and its execution
    // role's synthesized policy, enforced on every call it makes to DynamoDB, SES, Cognito and
    // the API, so a permission missing on AWS is missing here too (local/iam/).
    const principals = createPrincipals(assembly.functions, LOCAL_REGION);
    const gates = await startIamGates({
      assembly,
      principals,
      dynamoDb: backendDynamoDb,
      mail: mail.endpoint,
      cognito: cognito.endpoint,
    });
    stops.push(gates.stop);
    const runner = createLambdaRunner({
      functions: assembly.functions,
      environment: {
        AWS_REGION: LOCAL_REGION,
        AWS_DEFAULT_REGION: LOCAL_REGION,
        AWS_ENDPOINT_URL_DYNAMODB: gates.dynamoDb,
        AWS_ENDPOINT_URL_SES: gates.mail,
        AWS_ENDPOINT_URL_SESV2: gates.mail,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: gates.cognito,
        STEWARD_LOCAL: 'true',
        // Node 20 is what Lambda runs here; the SDKs' upgrade notices are noise in every worker.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
      environmentFor: (fn) => {
        const { accessKeyId, secretAccessKey } = principals.forFunction(fn.name);
        return { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
      },
      log,
    });
    stops.push(runner.stop);
    await step(
      'Lambda runner',
      () => startLambdaApi({ port: ports.lambda, runner }),
      (started) => started.stop,
    );

    const appsync = await step(
      'GraphQL API (AppSync simulator)',
      () =>
        startAppSync({
          assembly,
          port: ports.graphql,
          dynamoDbEndpoint: backendDynamoDb,
          invokeFunction: runner.invoke,
          auth: {
            issuer: cognito.issuer,
            jwksUri: cognito.jwksUri,
            userPoolId: cognito.userPoolId,
            clientId: cognito.clientId,
          },
          iam: principals,
        }),
      (started) => started.stop,
    );

    assertEventSourceMappingsDeployable(assembly, LOCAL_REGION);
    const streams = await step(
      'stream consumers',
      () =>
        startEventSourceMappings({
          mappings: assembly.eventSourceMappings,
          invoke: runner.invoke,
          dynamoDbEndpoint: backendDynamoDb,
          stateDirectory: path.join(dataDirectory, 'streams'),
          log,
        }),
      (started) => started.stop,
    );

    const tableName = (model: string): string => {
      const found = assembly.tables.find((t) => t.modelName === model);
      if (!found) throw new Error(`No ${model} table in the backend`);
      return found.tableName;
    };

    // Data written by an earlier version gains what the current one reads (fails closed until then).
    const migrated = await backfillMemberReadGroups(
      DynamoDBDocumentClient.from(ddb),
      tableName('OrganizationMember'),
    );
    if (migrated > 0) log(`  updated ${migrated} memberships written by an earlier version`);

    const outputs = amplifyOutputs(
      assembly,
      { userPoolId: cognito.userPoolId, userPoolClientId: cognito.clientId },
      {
        graphql: appsync.url,
        cognito: cognito.endpoint,
        mailbox: mail.url,
        dynamodb: dynamodb.endpoint,
      },
    );
    if (options.writeOutputsFiles ?? true) writeOutputs(PROJECT_ROOT, outputs);

    let demo: DemoSummary | undefined;
    // The marker is written only once the seed is complete. A start stopped before that carries
    // on where it stopped: every step of the seed first reads what exists.
    const demoMarker = path.join(dataDirectory, 'demo.json');
    if (options.demo ?? true) {
      if (existsSync(demoMarker)) {
        demo = JSON.parse(readFileSync(demoMarker, 'utf8')) as DemoSummary;
      } else {
        const seedCognito = new LocalCognito(
          cognito.endpoint,
          cognito.userPoolId,
          cognito.clientId,
        );
        stops.push(async () => seedCognito.client.destroy());
        demo = await step('demo organization', () =>
          seedDemoData({
            cognito: seedCognito,
            dynamodb: ddb,
            graphqlUrl: appsync.url,
            tables: {
              organization: tableName('Organization'),
              organizationMember: tableName('OrganizationMember'),
              workOrder: tableName('WorkOrder'),
              inventoryItem: tableName('InventoryItem'),
            },
            signal: options.signal,
            beforeCall: options.beforeDemoCall,
            log,
          }).catch((err: unknown) => {
            if (options.signal?.aborted || err instanceof LocalRuntimeError) throw err;
            throw new LocalRuntimeError(
              `The demo organization could not be set up: ${err instanceof Error ? err.message : String(err)}`,
              START_CLEAN_RESOLUTION,
              { cause: err },
            );
          }),
        );
        writeFileSync(demoMarker, JSON.stringify(demo, null, 2));
      }
    }

    let appUrl: string | undefined;
    if (wantApp) {
      appUrl = await step('web app (Vite)', async () => {
        process.env.STEWARD_GRAPHQL_PORT = String(ports.graphql);
        process.env.STEWARD_COGNITO_PORT = String(ports.cognito);
        process.env.STEWARD_MAIL_PORT = String(ports.mail);
        const { createServer } = await import('vite');
        const server = await createServer({
          root: PROJECT_ROOT,
          configFile: path.join(PROJECT_ROOT, 'vite.config.ts'),
          server: { port: ports.app, strictPort: true, host: '127.0.0.1' },
          logLevel: 'warn',
        });
        await server.listen();
        stops.push(() => server.close());
        return `http://localhost:${ports.app}`;
      });
    }

    return {
      urls: {
        app: appUrl,
        graphql: appsync.url,
        realtime: appsync.realtimeUrl,
        mailbox: mail.url,
        cognito: cognito.endpoint,
        dynamodb: dynamodb.endpoint,
      },
      ports,
      outputs,
      assembly,
      userPoolId: cognito.userPoolId,
      userPoolClientId: cognito.clientId,
      dataDirectory,
      demo,
      invoke: runner.invoke,
      tableName,
      streamsIdle: streams.idle,
      streamFailures: streams.failures,
      faults: { mail: mail.faults, crashFunction: runner.crash, failFunction: runner.fail },
      iam: { principals, endpoints: gates },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Everything goes to the log file; the console shows progress and what needs a look: the
 * functions' structured INFO/DEBUG lines stay in the file.
 */
function consoleLog(file: string): (line: string) => void {
  return (line) => {
    appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
    const structured = /^\[[\w-]+\] (\{.*\})$/.exec(line);
    if (structured) {
      try {
        const level = String((JSON.parse(structured[1] ?? '{}') as { level?: string }).level ?? '');
        if (level === 'INFO' || level === 'DEBUG') return;
      } catch {
        // not JSON after all: show it
      }
    }
    console.log(line);
  };
}

function readyBlock(runtime: LocalRuntime, startedMs: number): string {
  const lines = [
    '',
    `Steward is running locally (ready in ${(startedMs / 1000).toFixed(1)} s)`,
    '',
    `  Web app      ${runtime.urls.app ?? '(not started: --no-app)'}`,
    `  Mailbox      ${runtime.urls.mailbox}   every email, verification codes included`,
    `  GraphQL      ${runtime.urls.graphql}`,
    `  Realtime     ${runtime.urls.realtime}`,
    `  Cognito      ${runtime.urls.cognito}   pool ${runtime.userPoolId}`,
    `  DynamoDB     ${runtime.urls.dynamodb}`,
    `  Data         ${path.relative(process.cwd(), runtime.dataDirectory) || '.'}   (npm run start:clean starts afresh)`,
    `  Logs         ${path.relative(process.cwd(), path.join(STEWARD_DIRECTORY, 'logs', 'runtime.log'))}`,
  ];
  if (runtime.demo) {
    lines.push(
      '',
      `  Demo organization: ${runtime.demo.organizationName} — password for all: ${DEMO_PASSWORD}`,
    );
    for (const user of runtime.demo.users) lines.push(`    ${user.role.padEnd(10)} ${user.email}`);
  }
  lines.push('', 'Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const flags = new Set(argv);
  // Ctrl-C while starting: stop what has started (the start rejects), then exit.
  const starting = new AbortController();
  const abortStart = () => {
    console.log('\nStopping before Steward was ready…');
    starting.abort();
  };
  // A closed terminal (SIGHUP) stops the start as Ctrl-C does, so the next start can resume.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.once(signal, abortStart);
  const dataDirectory = path.join(STEWARD_DIRECTORY, 'data');
  if (flags.has('--clean')) {
    rmSync(dataDirectory, { recursive: true, force: true });
    console.log('Removed local data: starting afresh.');
  }
  console.log('Starting Steward locally…');
  const started = Date.now();
  const logFile = path.join(STEWARD_DIRECTORY, 'logs', 'runtime.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = consoleLog(logFile);
  let runtime: LocalRuntime;
  try {
    runtime = await startLocalRuntime({
      dataDirectory,
      app: !flags.has('--no-app'),
      demo: !flags.has('--no-demo'),
      log,
      signal: starting.signal,
    });
  } catch (err) {
    if (starting.signal.aborted) {
      console.log('Stopped.');
      process.exit(130);
    }
    if (err instanceof LocalRuntimeError) {
      console.error(`\n✗ ${err.message}\n  ${err.resolution.split('\n').join('\n  ')}\n`);
    } else {
      console.error('\n✗ Steward could not start:', err);
      console.error(
        '\n  If it fails again the same way, `npm run start:clean` starts afresh (it deletes .steward/data).\n',
      );
    }
    process.exit(1);
  }
  for (const signal of signals) process.removeListener(signal, abortStart);
  console.log(readyBlock(runtime, Date.now() - started));
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await runtime.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  for (const signal of signals) process.on(signal, () => void shutdown(signal));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
