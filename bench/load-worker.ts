/**
 * The load generator, a process of its own (forked by bench/load.ts), so that sending requests
 * never competes with the runtime's event loop. It fires requests at the times it is given (an
 * open, arrival-rate model: a slow answer never delays the next send) and measures each one from
 * its scheduled send time, so queueing shows up in the figures instead of hiding them.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type {
  BurstJob,
  LoadJob,
  Outcome,
  Request,
  Step,
  SubscriptionJob,
  WorkerMessage,
} from './load-protocol';
import { openRealtime, subscribe } from '../tests/support/realtime';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

/** A signature DynamoDB Local accepts: it checks the header's shape, not its value. */
const DYNAMODB_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00';

type Answer = { status: number; body: string };

function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs one step; resolves with an error message, or undefined when it succeeded. */
async function runStep(step: Step, timeoutMs: number): Promise<string | undefined> {
  if (step.kind === 'graphql') {
    const answer = await post(
      step.url,
      { 'content-type': 'application/json', authorization: step.token },
      JSON.stringify({ query: step.query, variables: step.variables }),
      timeoutMs,
    );
    if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
    const parsed = JSON.parse(answer.body) as { errors?: { message?: string }[] };
    if (parsed.errors?.length) return parsed.errors.map((e) => e.message).join('; ');
    return undefined;
  }
  const answer = await post(
    step.url,
    {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${step.target}`,
      authorization: DYNAMODB_AUTHORIZATION,
    },
    step.body,
    timeoutMs,
  );
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (step.target === 'Query') {
    const parsed = JSON.parse(answer.body) as {
      Count?: number;
      ScannedCount?: number;
      ConsumedCapacity?: { CapacityUnits?: number };
    };
    step.observed = {
      count: parsed.Count ?? 0,
      scanned: parsed.ScannedCount ?? 0,
      capacity: parsed.ConsumedCapacity?.CapacityUnits ?? 0,
    };
  }
  return undefined;
}

async function runRequest(request: Request, timeoutMs: number): Promise<string | undefined> {
  for (const step of request.steps) {
    const error = await runStep(step, timeoutMs);
    if (error) return error;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fires every request at its offset from the start and records its latency from that offset. */
async function runLoad(job: LoadJob): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const inFlight = new Set<Promise<void>>();
  const started = performance.now() + 50;
  for (const request of job.requests) {
    const due = started + request.at;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const sent = performance.now();
    const done: Promise<void> = runRequest(request, job.timeoutMs)
      .then(
        (error) => ({ error }),
        (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
      )
      .then(({ error }) => {
        const end = performance.now();
        const observed = request.steps.find((s) => s.kind === 'dynamodb' && s.observed);
        outcomes.push({
          tag: request.tag,
          latencyMs: end - due,
          serviceMs: end - sent,
          answeredAtMs: end - started,
          ...(error ? { error } : {}),
          ...(observed?.kind === 'dynamodb' && observed.observed
            ? { observed: observed.observed }
            : {}),
        });
        inFlight.delete(done);
      });
    inFlight.add(done);
  }
  await Promise.all([...inFlight]);
  return outcomes;
}

/** Subscribers per organization; mutations at their offsets; receipt time after the ack. */
async function runSubscriptions(job: SubscriptionJob) {
  type Received = { subscriber: number; organizationId: string; id: string; at: number };
  const received: Received[] = [];
  const closers: (() => void)[] = [];
  for (const [index, subscriber] of job.subscribers.entries()) {
    const socket = await openRealtime(job.realtimeUrl, job.graphqlUrl, subscriber.token);
    closers.push(() => socket.close());
    await subscribe(socket, job.graphqlUrl, subscriber.token, job.subscription, {
      organizationId: subscriber.organizationId,
    });
    socket.on('message', (raw) => {
      const at = performance.now();
      const message = JSON.parse(raw.toString()) as {
        type: string;
        payload?: { data?: Record<string, { id?: string; organizationId?: string }> };
      };
      if (message.type !== 'data') return;
      const item = Object.values(message.payload?.data ?? {})[0];
      if (item?.id)
        received.push({
          subscriber: index,
          organizationId: item.organizationId ?? '',
          id: item.id,
          at,
        });
    });
  }
  const acks: { id: string; organizationId: string; at: number; error?: string }[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now() + 50;
  for (const mutation of job.mutations) {
    const wait = started + mutation.at - performance.now();
    if (wait > 1) await sleep(wait);
    inFlight.push(
      post(
        job.graphqlUrl,
        { 'content-type': 'application/json', authorization: mutation.token },
        JSON.stringify({ query: mutation.query, variables: mutation.variables }),
        job.timeoutMs,
      ).then(
        (answer) => {
          const at = performance.now();
          const parsed = JSON.parse(answer.body) as {
            data?: Record<string, { id?: string }>;
            errors?: { message?: string }[];
          };
          const id = Object.values(parsed.data ?? {})[0]?.id ?? '';
          acks.push({
            id,
            organizationId: mutation.organizationId,
            at,
            ...(parsed.errors?.length ? { error: String(parsed.errors[0]?.message) } : {}),
          });
        },
        (err: unknown) => {
          acks.push({
            id: '',
            organizationId: mutation.organizationId,
            at: performance.now(),
            error: String(err),
          });
        },
      ),
    );
  }
  await Promise.all(inFlight);
  await sleep(job.settleMs);
  closers.forEach((close) => close());
  return {
    subscribers: job.subscribers.map((s) => s.organizationId),
    acks,
    received,
  };
}

/** Reads the lines appended to a file since the last call. */
function tail(file: string) {
  let offset = existsSync(file) ? statSync(file).size : 0;
  let rest = '';
  return (): string[] => {
    if (!existsSync(file)) return [];
    const size = statSync(file).size;
    if (size <= offset) return [];
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      readSync(fd, buffer, 0, buffer.length, offset);
      offset = size;
      const text = rest + buffer.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      return lines;
    } finally {
      closeSync(fd);
    }
  };
}

/** Sends every mutation at once and times each from its ack to its email in the mailbox file. */
async function runBurst(job: BurstJob) {
  const read = tail(job.mailFile);
  const mailed = new Map<string, number>();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const now = performance.now();
      for (const line of read()) {
        for (const token of job.mutations.map((m) => m.marker)) {
          if (!mailed.has(token) && line.includes(token)) mailed.set(token, now);
        }
      }
      await sleep(job.pollMs);
    }
  })();
  const acks = new Map<string, { at: number; error?: string }>();
  const started = performance.now();
  await Promise.all(
    job.mutations.map((mutation) =>
      post(
        job.graphqlUrl,
        { 'content-type': 'application/json', authorization: mutation.token },
        JSON.stringify({ query: mutation.query, variables: mutation.variables }),
        job.timeoutMs,
      ).then(
        (answer) => {
          const parsed = JSON.parse(answer.body) as { errors?: { message?: string }[] };
          acks.set(mutation.marker, {
            at: performance.now(),
            ...(parsed.errors?.length ? { error: String(parsed.errors[0]?.message) } : {}),
          });
        },
        (err: unknown) => acks.set(mutation.marker, { at: performance.now(), error: String(err) }),
      ),
    ),
  );
  const ackedAll = performance.now() - started;
  const deadline = performance.now() + job.waitMs;
  const expected = [...acks].filter(([, ack]) => !ack.error).length;
  while (performance.now() < deadline && mailed.size < expected) await sleep(50);
  polling = false;
  await poller;
  return {
    ackedAllMs: ackedAll,
    results: job.mutations.map((m) => {
      const ack = acks.get(m.marker);
      const mail = mailed.get(m.marker);
      return {
        marker: m.marker,
        ackMs: ack ? ack.at - started : undefined,
        error: ack?.error,
        ackToMailMs: ack && mail !== undefined ? mail - ack.at : undefined,
        sendToMailMs: mail !== undefined ? mail - started : undefined,
      };
    }),
  };
}

process.on('message', (message: WorkerMessage) => {
  // From the job's start: the process's own start-up (loading the TypeScript) is not the job's.
  const cpuAtStart = process.cpuUsage();
  const work =
    message.mode === 'load'
      ? runLoad(message)
      : message.mode === 'subscriptions'
        ? runSubscriptions(message)
        : runBurst(message);
  work.then(
    (result) => {
      // The generator's own CPU, for the bench's account of where a scenario's CPU went.
      const { user, system } = process.cpuUsage(cpuAtStart);
      process.send?.({ ok: true, result, cpuMs: (user + system) / 1000 }, () => process.exit(0));
    },
    (err: unknown) =>
      process.send?.({ ok: false, error: err instanceof Error ? err.stack : String(err) }, () =>
        process.exit(1),
      ),
  );
});
