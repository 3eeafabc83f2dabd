/**
 * `npm run bench:probe -- [submit|list|me] [concurrency] [seconds]`: a one-minute look at one
 * operation's cost, for working on the runtime. Starts the local runtime on a fresh data folder
 * with the demo organization, drives the operation in a closed loop (`concurrency` requests in
 * flight, from a process of its own) after a 5 s warm-up, and prints the rate reached and the CPU
 * milliseconds per request of each process (the same account as `npm run bench`'s "Where the CPU
 * goes"), with how busy the whole machine was. Not a benchmark: no open model, no floor, nothing
 * written.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DEMO_PASSWORD } from '../local/demo-data';
import { localDynamoDbClient } from '../local/dynamodb';
import { graphql, LocalCognito } from '../local/graphql-client';
import { startLocalRuntime } from '../local/main';
import { cpuBetween, cpuPer, cpuSnapshot, cpuTotal, LOAD_PART, runtimeParts } from './cpu';

type Loop = { url: string; token: string; body: string; concurrency: number; ms: number };

/** The load process: `concurrency` loops of one request after another until the time is up. */
async function loop({ url, token, body, concurrency, ms }: Loop) {
  const cpuAtStart = process.cpuUsage();
  const agent = new http.Agent({ keepAlive: true });
  let done = 0;
  let errors = 0;
  let sample = '';
  const end = Date.now() + ms;
  const once = () =>
    new Promise<void>((resolve) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', authorization: token },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => {
            if (res.statusCode !== 200 || text.includes('"errors"')) {
              errors += 1;
              sample ||= text.slice(0, 300);
            }
            done += 1;
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        errors += 1;
        sample ||= String(err);
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) await once();
    }),
  );
  const { user, system } = process.cpuUsage(cpuAtStart);
  return { done, errors, sample, cpuMs: (user + system) / 1000 };
}

if (process.argv[2] === '--loop') {
  const result = await loop(JSON.parse(process.argv[3] ?? '{}') as Loop);
  process.send?.(result, () => process.exit(0));
} else {
  const [kind = 'submit', concurrencyArg = '16', secondsArg = '25'] = process.argv.slice(2);
  const concurrency = Number(concurrencyArg);
  const seconds = Number(secondsArg);
  // One caller sends everything: the per-caller rate limit would measure itself.
  process.env.STEWARD_LOCAL_RATE_LIMIT = 'off';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-probe-'));
  const runtime = await startLocalRuntime({
    dataDirectory,
    ports: 'auto',
    app: false,
    demo: true,
    writeOutputsFiles: false,
  });
  try {
    const cognito = new LocalCognito(
      runtime.urls.cognito,
      runtime.userPoolId,
      runtime.userPoolClientId,
    );
    const { accessToken } = await cognito.signIn('member@demo.steward.local', DEMO_PASSWORD);
    const organizationId = String(runtime.demo?.organizationId);
    // No monthly limit in the way.
    const dynamodb = localDynamoDbClient(runtime.urls.dynamodb);
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: runtime.tableName('Organization'),
        Key: { id: { S: organizationId } },
        UpdateExpression: 'SET #plan = :plan',
        ExpressionAttributeNames: { '#plan': 'plan' },
        ExpressionAttributeValues: { ':plan': { S: 'ENTERPRISE' } },
      }),
    );
    dynamodb.destroy();
    const operations: Record<string, { query: string; variables: Record<string, unknown> }> = {
      submit: {
        query:
          'mutation S($o: ID!) { submitWorkOrder(organizationId: $o, title: "Probe") { id number status version } }',
        variables: { o: organizationId },
      },
      list: {
        query:
          'query L($o: ID!) { workOrdersByOrganizationAndStatus(organizationId: $o, statusCreatedAt: { beginsWith: { status: NEW } }, sortDirection: DESC, limit: 50) { items { id number title status priority category createdAt assigneeName dueAt } nextToken } }',
        variables: { o: organizationId },
      },
      me: { query: '{ me { profile { id } } }', variables: {} },
    };
    const operation = operations[kind];
    if (!operation) throw new Error(`Unknown operation ${kind}: submit, list or me`);
    await graphql(runtime.urls.graphql, accessToken, operation.query, operation.variables);
    const partOf = runtimeParts(runtime.assembly.functions);
    const run = (ms: number) =>
      new Promise<Awaited<ReturnType<typeof loop>>>((resolve, reject) => {
        const job: Loop = {
          url: runtime.urls.graphql,
          token: accessToken,
          body: JSON.stringify(operation),
          concurrency,
          ms,
        };
        const child = fork(fileURLToPath(import.meta.url), ['--loop', JSON.stringify(job)], {
          execArgv: ['--import', 'tsx'],
        });
        child.once('message', (result) => resolve(result as Awaited<ReturnType<typeof loop>>));
        child.once('exit', (code) => reject(new Error(`the load process exited with ${code}`)));
      });
    await run(5_000);
    await runtime.streamsIdle();
    const machine = () =>
      (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
    const machineBefore = machine();
    const before = cpuSnapshot(partOf);
    const started = Date.now();
    const result = await run(seconds * 1000);
    const elapsedS = (Date.now() - started) / 1000;
    const spent = { ...cpuBetween(before, cpuSnapshot(partOf)), [LOAD_PART]: result.cpuMs };
    const ticks = machine().map((n, i) => n - (machineBefore[i] ?? 0));
    const busy = 1 - (ticks[3] ?? 0) / ticks.reduce((sum, n) => sum + n, 0);
    console.log(
      `\n${kind}, ${concurrency} in flight: ${result.done} in ${elapsedS.toFixed(1)} s = ${(result.done / elapsedS).toFixed(1)}/s, ${result.errors} errors; machine ${Math.round(busy * 100)}% busy`,
    );
    if (result.sample) console.log(`  first error: ${result.sample}`);
    const perRequest = cpuPer(spent, result.done);
    for (const [part, ms] of Object.entries(perRequest).sort((a, b) => b[1] - a[1])) {
      console.log(`  ${part.padEnd(27)} ${ms.toFixed(2).padStart(6)} ms CPU per request`);
    }
    console.log(`  ${'total'.padEnd(27)} ${cpuTotal(perRequest).toFixed(2).padStart(6)} ms`);
  } finally {
    await runtime.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  }
  process.exit(0);
}
