import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, type Session } from '../../local/graphql-client';
import { type SuiteRuntime, signUpPeople, startSuiteRuntime } from '../support/suite';
import { percentile } from './support/bad-input-operations';

/**
 * One caller far over a fair rate is throttled with HTTP 429 and a TooManyRequestsException,
 * while other people keep their latency and see no errors. The local limit follows the deployed
 * AWS WAF rule (15,000 requests per 5 minutes per caller: 50 a second, a burst of 500), read from
 * the synth. One local server on a shared 2-core machine serves well under 100 requests a second,
 * so one caller cannot go "far over" 50 a second here: the suite runs the same limiter at 10 a
 * second with a burst of 20 (STEWARD_LOCAL_RATE_LIMIT), and checks the deployed figures separately.
 */

const PASSWORD = 'Test-pass-123';
const DEPLOYED_PER_SECOND = 50;
const PER_SECOND = 10;
const BURST = 20;

type Sent = { status: number; body: string; retryAfter: string | null };

describe('flooding', () => {
  let suite: SuiteRuntime;
  const sessions = {} as Record<'flooder' | 'victim' | 'neighbour', Session>;
  const ids = {} as Record<'flooder' | 'victim' | 'neighbour', string>;
  const url = () => suite.runtime.urls.graphql;

  const send = async (token: string | undefined, query: string): Promise<Sent> => {
    const response = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: await response.text(),
      retryAfter: response.headers.get('retry-after'),
    };
  };

  /** Sends the query from `concurrency` loops until `ms` have passed; returns every answer. */
  const flood = async (
    token: string | undefined,
    query: string,
    ms: number,
    concurrency: number,
  ) => {
    const sent: Sent[] = [];
    const until = Date.now() + ms;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) sent.push(await send(token, query));
      }),
    );
    return sent;
  };

  const probe = async (token: string) => {
    const started = performance.now();
    const result = await graphql(url(), token, '{ me { profile { id } } }');
    return { ms: performance.now() - started, ok: result.status === 200 && !result.errors };
  };

  beforeAll(async () => {
    process.env.STEWARD_LOCAL_RATE_LIMIT = `${PER_SECOND}/${BURST}`;
    suite = await startSuiteRuntime('flooding');
    await signUpPeople(
      suite.cognito,
      {
        flooder: { email: 'flooder@a.example' },
        victim: { email: 'victim@a.example' },
        neighbour: { email: 'neighbour@a.example' },
      },
      PASSWORD,
      sessions,
      ids,
    );
  }, 240_000);

  afterAll(async () => {
    delete process.env.STEWARD_LOCAL_RATE_LIMIT;
    await suite?.runtime.stop();
    if (suite) rmSync(suite.dataDirectory, { recursive: true, force: true });
  });

  it('reads the per-caller limit from the deployed rate rule', () => {
    expect(suite.runtime.assembly.graphqlApi?.rateLimit).toMatchObject({
      perCaller: DEPLOYED_PER_SECOND * 300,
      windowSeconds: 300,
      responseCode: 429,
    });
  });

  it("throttles one caller far over the rate with a clear 429, while another person's p99 holds with no errors", async () => {
    const baseline: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const { ms } = await probe(sessions.victim.accessToken);
      baseline.push(ms);
      await new Promise((r) => setTimeout(r, Math.max(0, 2000 / PER_SECOND - ms)));
    }

    const FLOOD_MS = 8_000;
    const started = Date.now();
    const flooding = flood(sessions.flooder.accessToken, '{ __typename }', FLOOD_MS, 16);
    const during: number[] = [];
    let victimErrors = 0;
    // The other person keeps a fair pace: half the rate.
    while (Date.now() - started < FLOOD_MS - 500) {
      const { ms, ok } = await probe(sessions.victim.accessToken);
      during.push(ms);
      if (!ok) victimErrors += 1;
      await new Promise((r) => setTimeout(r, Math.max(0, 2000 / PER_SECOND - ms)));
    }
    const sent = await flooding;
    const elapsedSeconds = (Date.now() - started) / 1000;

    const admitted = sent.filter((s) => s.status === 200).length;
    const throttled = sent.filter((s) => s.status === 429);
    const p99Before = percentile(baseline, 99);
    const p99During = percentile(during, 99);
    console.log(
      `flooding: ${sent.length} requests in ${elapsedSeconds.toFixed(1)} s (${(sent.length / elapsedSeconds).toFixed(0)}/s) from one caller: ${admitted} admitted, ${throttled.length} throttled; another person's p50/p99 ${percentile(baseline, 50).toFixed(0)}/${p99Before.toFixed(0)} ms before, ${percentile(during, 50).toFixed(0)}/${p99During.toFixed(0)} ms during (${during.length} requests, ${victimErrors} errors)`,
    );

    // Far over the rate, and throttled down to it: the burst plus 50 a second, nothing more.
    expect(sent.length).toBeGreaterThan(3 * (BURST + PER_SECOND * elapsedSeconds));
    expect(admitted).toBeLessThanOrEqual(BURST + PER_SECOND * elapsedSeconds + 1);
    expect(admitted).toBeGreaterThanOrEqual(BURST);
    expect(sent.every((s) => s.status === 200 || s.status === 429)).toBe(true);
    const refusal = JSON.parse(throttled[0]?.body ?? '{}') as {
      errors?: { errorType: string; message: string }[];
    };
    expect(refusal.errors?.[0]?.errorType).toBe('TooManyRequestsException');
    expect(refusal.errors?.[0]?.message).toMatch(/Rate exceeded/);
    expect(Number(throttled[0]?.retryAfter)).toBeGreaterThanOrEqual(1);

    expect(victimErrors).toBe(0);
    expect(p99During).toBeLessThan(Math.max(5 * p99Before, 1500));
  });

  it('throttles per caller: a neighbour sending a full burst during a flood is never throttled', async () => {
    const flooding = flood(sessions.flooder.accessToken, '{ __typename }', 3_000, 8);
    const burst = await Promise.all(
      Array.from({ length: BURST }, () => send(sessions.neighbour.accessToken, '{ __typename }')),
    );
    const sent = await flooding;
    expect(burst.every((s) => s.status === 200)).toBe(true);
    expect(sent.some((s) => s.status === 429)).toBe(true);
  });

  it('lets the flooder back in once it slows down', async () => {
    await new Promise((r) => setTimeout(r, 1_500));
    const result = await graphql(url(), sessions.flooder.accessToken, '{ me { profile { id } } }');
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });

  it('throttles a flood without a token by address, before it reaches the token check', async () => {
    const sent = await flood(undefined, '{ __typename }', 6_000, 32);
    const refused = sent.filter((s) => s.status === 401).length;
    const throttled = sent.filter((s) => s.status === 429).length;
    console.log(
      `flooding: ${sent.length} unsigned requests in 6 s: ${refused} refused with 401, ${throttled} throttled with 429`,
    );
    expect(refused + throttled).toBe(sent.length);
    expect(throttled).toBeGreaterThan(0);
    // A signed-in person from the same address is not affected.
    expect((await probe(sessions.victim.accessToken)).ok).toBe(true);
  });
});
