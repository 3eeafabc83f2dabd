import { afterAll, describe, expect, it } from 'vitest';
import { createLambdaRunner, LambdaFunctionError } from './lambda-runner';
import { writeTestFunctions } from './lambda-test-functions';

const functions = writeTestFunctions({
  echo: {
    environment: { GREETING: 'hello from echo' },
    code: `let calls = 0;
export const handler = async (event, context) => ({
  greeting: process.env.GREETING ?? null,
  shared: process.env.SHARED_SETTING ?? null,
  hostHome: process.env.STEWARD_HOST_ONLY ?? null,
  functionName: context.functionName,
  envName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  requestId: context.awsRequestId,
  remaining: context.getRemainingTimeInMillis(),
  calls: ++calls,
  pid: process.pid,
  event,
});`,
  },
  other: {
    environment: { GREETING: 'hello from other' },
    code: `export const handler = async () => ({ greeting: process.env.GREETING, pid: process.pid });`,
  },
  slow: {
    timeoutSeconds: 1,
    code: `export const handler = async (event) => {
  await new Promise((r) => setTimeout(r, event.ms));
  return { pid: process.pid };
};`,
  },
  boom: {
    code: `export const handler = async (event) => {
  if (event.kind === 'string') throw 'plain string';
  const err = new TypeError('the widget is missing');
  throw err;
};`,
  },
  callback: {
    code: `export const handler = (event, context, callback) => { setTimeout(() => callback(null, { doubled: event.n * 2 }), 5); };`,
  },
  crash: {
    code: `export const handler = async () => { process.exit(3); };`,
  },
  broken: {
    code: `throw new Error('cannot initialise');
export const handler = async () => 'never';`,
  },
});

process.env.STEWARD_HOST_ONLY = 'leaked';
const runner = createLambdaRunner({
  functions,
  environment: { SHARED_SETTING: 'for all' },
  maxConcurrency: 4,
});
afterAll(() => runner.stop());

describe('lambda runner', () => {
  it('gives each function its own environment and keeps module state between invocations', async () => {
    const first = (await runner.invoke('echo', { n: 1 })) as Record<string, unknown>;
    const second = (await runner.invoke('echo', { n: 2 })) as Record<string, unknown>;
    const other = (await runner.invoke('other', {})) as Record<string, unknown>;
    expect(first).toMatchObject({
      greeting: 'hello from echo',
      shared: 'for all',
      hostHome: null,
      functionName: 'echo',
      envName: 'echo',
      event: { n: 1 },
    });
    expect(first.remaining).toBeGreaterThan(2000);
    expect(first.remaining).toBeLessThanOrEqual(3000);
    expect(second.calls).toBe(2);
    expect(second.pid).toBe(first.pid);
    expect(second.requestId).not.toBe(first.requestId);
    expect(other.greeting).toBe('hello from other');
    expect(other.pid).not.toBe(first.pid);
  });

  it('runs concurrent invocations of one function in separate processes, up to the bound', async () => {
    await runner.invoke('slow', { ms: 1 });
    const started = Date.now();
    const results = (await Promise.all(
      Array.from({ length: 6 }, () => runner.invoke('slow', { ms: 400 })),
    )) as { pid: number }[];
    const elapsed = Date.now() - started;
    expect(new Set(results.map((r) => r.pid)).size).toBe(4);
    // Six 400 ms invocations on four environments take two rounds, not six.
    expect(elapsed).toBeGreaterThanOrEqual(790);
    expect(elapsed).toBeLessThan(2500);
  });

  it("times out with Lambda's message, replaces the environment and keeps serving", async () => {
    const error = await runner.invoke('slow', { ms: 5000 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LambdaFunctionError);
    const e = error as LambdaFunctionError;
    expect(e.errorType).toBe('Sandbox.Timedout');
    expect(e.errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
    await expect(runner.invoke('slow', { ms: 10 })).resolves.toHaveProperty('pid');
  });

  it('returns a thrown error as errorType, errorMessage and trace', async () => {
    const error = (await runner
      .invoke('boom', {})
      .catch((err: unknown) => err)) as LambdaFunctionError;
    expect(error).toBeInstanceOf(LambdaFunctionError);
    expect(error.payload()).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'the widget is missing',
    });
    expect(error.trace[0]).toBe('TypeError: the widget is missing');
    expect(error.trace.some((line) => line.includes('index.mjs'))).toBe(true);
    const plain = (await runner
      .invoke('boom', { kind: 'string' })
      .catch((err: unknown) => err)) as LambdaFunctionError;
    expect(plain.payload()).toEqual({
      errorType: 'string',
      errorMessage: 'plain string',
      trace: [],
    });
  });

  it('supports callback-style handlers', async () => {
    await expect(runner.invoke('callback', { n: 21 })).resolves.toEqual({ doubled: 42 });
  });

  it('fails an invocation whose runtime exits, and an init error, then recovers', async () => {
    const crash = (await runner
      .invoke('crash', {})
      .catch((err: unknown) => err)) as LambdaFunctionError;
    expect(crash.errorType).toBe('Runtime.ExitError');
    expect(crash.errorMessage).toContain('exit status 3');
    const broken = (await runner
      .invoke('broken', {})
      .catch((err: unknown) => err)) as LambdaFunctionError;
    expect(broken.errorType).toBe('Runtime.ImportModuleError');
    expect(broken.errorMessage).toContain('cannot initialise');
    await expect(runner.invoke('echo', {})).resolves.toHaveProperty('greeting', 'hello from echo');
  });

  it('fault switches: the next invocations throw, or run and then time out; a crash kills the running ones', async () => {
    runner.fail('echo', { mode: 'throw', times: 2 });
    for (let i = 0; i < 2; i += 1) {
      const thrown = (await runner
        .invoke('echo', {})
        .catch((err: unknown) => err)) as LambdaFunctionError;
      expect(thrown.errorMessage).toContain('Injected failure');
    }
    await expect(runner.invoke('echo', {})).resolves.toHaveProperty('greeting');

    runner.fail('slow', { mode: 'timeout', times: 1 });
    const timedOut = (await runner
      .invoke('slow', { ms: 10 })
      .catch((err: unknown) => err)) as LambdaFunctionError;
    expect(timedOut.errorType).toBe('Sandbox.Timedout');
    await expect(runner.invoke('slow', { ms: 10 })).resolves.toHaveProperty('pid');

    const running = runner.invoke('slow', { ms: 800 }).catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runner.crash('slow')).toBe(1);
    expect(((await running) as LambdaFunctionError).errorType).toBe('Runtime.ExitError');
    expect(runner.crash('slow')).toBe(0);
  });

  it('rejects an unknown function with a clear error', async () => {
    await expect(runner.invoke('nope', {})).rejects.toThrow(/Function not found: nope/);
  });
});
